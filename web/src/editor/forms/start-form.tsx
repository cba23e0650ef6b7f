/** Inspector form for a start (trigger) node: its label and trigger keywords. */
import { TextField } from "../../components/fields.tsx";
import { readStrings, StringListEditor } from "../list-editors.tsx";
import { type FormProps, str } from "./form-props.ts";

/** The start node form. */
export function StartForm({ data, onChange }: FormProps) {
  return (
    <>
      <TextField
        label="Label"
        testId="field-label"
        value={str(data.label)}
        onChange={(label) => onChange({ label }, "label")}
      />
      <h3>Trigger keywords</h3>
      <p className="hint">Matched case-insensitively after trimming.</p>
      <StringListEditor
        label="Keyword"
        testId="keyword"
        items={readStrings(data.keywords)}
        onChange={(keywords) => onChange({ keywords }, "keywords")}
      />
    </>
  );
}
