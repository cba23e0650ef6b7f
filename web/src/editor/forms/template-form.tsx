/** Inspector form for a template node: an approved WhatsApp template, its parameters and buttons. */
import { TextField } from "../../components/fields.tsx";
import { readStrings, StringListEditor } from "../list-editors.tsx";
import { type FormProps, LIMITS, str } from "./form-props.ts";

/** The template node form. */
export function TemplateForm({ data, onChange }: FormProps) {
  const nameField = str(data.template_name) && !str(data.templateName) ? "template_name" : "templateName";
  return (
    <>
      <TextField
        label="Template name"
        testId="field-template-name"
        value={str(data[nameField])}
        onChange={(value) => onChange({ [nameField]: value }, nameField)}
      />
      <TextField
        label="Language"
        testId="field-language"
        value={str(data.language)}
        onChange={(language) => onChange({ language }, "language")}
        placeholder="en_US"
      />
      <h3>Body parameters</h3>
      <StringListEditor
        label="Parameter"
        testId="param"
        items={readStrings(data.params)}
        onChange={(params) => onChange({ params }, "params")}
      />
      <h3>Quick-reply buttons</h3>
      <StringListEditor
        label="Button"
        testId="template-button"
        limit={LIMITS.buttonTitle}
        items={readStrings(data.buttons)}
        onChange={(buttons) => onChange({ buttons }, "buttons")}
      />
      <TextField
        label="Save reply to variable"
        testId="field-save-answer"
        value={str(data.saveAnswerTo)}
        onChange={(saveAnswerTo) => onChange({ saveAnswerTo }, "saveAnswerTo")}
      />
    </>
  );
}
