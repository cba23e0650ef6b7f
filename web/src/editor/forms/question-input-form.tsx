/** Inspector form for a free-text question node: the question, the variable and answer validation. */
import { TextField } from "../../components/fields.tsx";
import { isRecord } from "../node-catalog.ts";
import { AttemptLimits } from "./attempt-limits.tsx";
import { type FormProps, LIMITS, str } from "./form-props.ts";
import { ValidationSettings } from "./validation-settings.tsx";

/** The question input node form. */
export function QuestionInputForm({ data, onChange }: FormProps) {
  return (
    <>
      <TextField
        label="Question"
        testId="field-question"
        multiline
        rows={4}
        limit={LIMITS.text}
        value={str(data.question)}
        onChange={(question) => onChange({ question }, "question")}
      />
      <TextField
        label="Save answer to variable"
        testId="field-variable-name"
        value={str(data.variableName)}
        onChange={(variableName) => onChange({ variableName }, "variableName")}
      />
      <ValidationSettings
        value={isRecord(data.validation) ? data.validation : {}}
        onChange={(validation) => onChange({ validation }, "validation")}
      />
      <TextField
        label="Error message"
        testId="field-error-message"
        value={str(data.errorMessage)}
        onChange={(errorMessage) => onChange({ errorMessage }, "errorMessage")}
      />
      <AttemptLimits data={data} onChange={onChange} />
    </>
  );
}
