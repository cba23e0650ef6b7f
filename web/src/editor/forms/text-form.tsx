/** Inspector form for a text node: one message, with `{{variable}}` interpolation. */
import { TextField } from "../../components/fields.tsx";
import { type FormProps, LIMITS, str } from "./form-props.ts";

/** The text node form. */
export function TextForm({ data, onChange }: FormProps) {
  return (
    <TextField
      label="Message"
      testId="field-text"
      multiline
      rows={6}
      limit={LIMITS.text}
      value={str(data.text)}
      onChange={(text) => onChange({ text }, "text")}
      hint="Use {{variable}} to insert a value."
    />
  );
}
