/** Fields several node forms share: how many wrong answers, how long to wait, whole counts in general. */
import { NumberField } from "../../components/fields.tsx";
import { type FormProps, num } from "./form-props.ts";

/** A whole number of at least 1 kept in the node's `field` (attempts, seconds, a wait's duration). */
export function CountField({
  data,
  onChange,
  field,
  label,
  testId,
}: FormProps & { field: string; label: string; testId: string }) {
  return (
    <NumberField
      label={label}
      testId={testId}
      min={1}
      value={num(data[field])}
      onChange={(value) => onChange({ [field]: value }, field)}
    />
  );
}

/** Max attempts and timeout of a question node. */
export function AttemptLimits(props: FormProps) {
  return (
    <>
      <CountField {...props} field="maxAttempts" label="Max attempts" testId="field-max-attempts" />
      <TimeoutField {...props} />
    </>
  );
}

/** The node's `timeoutSeconds` (questions, HTTP requests). */
export function TimeoutField(props: FormProps) {
  return <CountField {...props} field="timeoutSeconds" label="Timeout (seconds)" testId="field-timeout" />;
}
