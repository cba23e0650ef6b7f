/** Inspector form for a question node: buttons or a list of options, with the texts around them. */
import { SelectField, TextField } from "../../components/fields.tsx";
import { OptionsEditor, readOptions } from "../list-editors.tsx";
import { AttemptLimits } from "./attempt-limits.tsx";
import { type FormProps, LIMITS, str } from "./form-props.ts";

/** The question node form; limits follow whether it is shown as buttons or a list. */
export function QuestionForm({ data, onChange }: FormProps) {
  const options = readOptions(data.options);
  const kind =
    str(data.type) === "list" || (str(data.type) === "" && options.length > 3) ? "list" : "buttons";
  return (
    <>
      <SelectField
        label="Show as"
        testId="field-question-type"
        value={str(data.type) || "auto"}
        options={[
          { value: "auto", label: "Automatic (buttons up to 3, else list)" },
          { value: "buttons", label: "Reply buttons" },
          { value: "list", label: "List" },
        ]}
        onChange={(value) => onChange({ type: value === "auto" ? undefined : value }, "type")}
      />
      <TextField
        label="Header"
        testId="field-header"
        limit={LIMITS.header}
        value={str(data.header)}
        onChange={(header) => onChange({ header }, "header")}
      />
      <TextField
        label="Body"
        testId="field-body"
        multiline
        rows={4}
        limit={LIMITS.body}
        value={str(data.body)}
        onChange={(body) => onChange({ body }, "body")}
      />
      <TextField
        label="Footer"
        testId="field-footer"
        limit={LIMITS.footer}
        value={str(data.footer)}
        onChange={(footer) => onChange({ footer }, "footer")}
      />
      {kind === "list" ? (
        <TextField
          label="List button text"
          testId="field-button-text"
          limit={LIMITS.buttonText}
          value={str(data.buttonText)}
          onChange={(buttonText) => onChange({ buttonText }, "buttonText")}
        />
      ) : null}
      <h3>Options</h3>
      <OptionsEditor
        options={options}
        titleLimit={kind === "list" ? LIMITS.rowTitle : LIMITS.buttonTitle}
        showDescriptions={kind === "list"}
        onChange={(next) => onChange({ options: next }, "options")}
      />
      <TextField
        label="Save answer to variable"
        testId="field-save-answer"
        value={str(data.saveAnswerTo)}
        onChange={(saveAnswerTo) => onChange({ saveAnswerTo }, "saveAnswerTo")}
      />
      <TextField
        label="Retry message"
        testId="field-retry-message"
        value={str(data.retryMessage)}
        onChange={(retryMessage) => onChange({ retryMessage }, "retryMessage")}
      />
      <AttemptLimits data={data} onChange={onChange} />
    </>
  );
}
