/** Fields several node forms share: how many wrong answers, and how long to wait. */
import { NumberField } from "../../components/fields.tsx";
import { type FormProps, num } from "./form-props.ts";

/** Max attempts and timeout of a question node. */
export function AttemptLimits({ data, onChange }: FormProps) {
  return (
    <>
      <NumberField
        label="Max attempts"
        testId="field-max-attempts"
        min={1}
        value={num(data.maxAttempts)}
        onChange={(maxAttempts) => onChange({ maxAttempts }, "maxAttempts")}
      />
      <TimeoutField data={data} onChange={onChange} />
    </>
  );
}

/** The node's `timeoutSeconds` (questions, HTTP requests). */
export function TimeoutField({ data, onChange }: FormProps) {
  return (
    <NumberField
      label="Timeout (seconds)"
      testId="field-timeout"
      min={1}
      value={num(data.timeoutSeconds)}
      onChange={(timeoutSeconds) => onChange({ timeoutSeconds }, "timeoutSeconds")}
    />
  );
}
