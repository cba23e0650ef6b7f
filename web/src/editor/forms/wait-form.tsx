/** Inspector form for a wait node: a duration and its unit. */
import { SelectField } from "../../components/fields.tsx";
import { CountField } from "./attempt-limits.tsx";
import { type FormProps, str } from "./form-props.ts";

/** The wait node form. */
export function WaitForm({ data, onChange }: FormProps) {
  const unit = str(data.unit) || "seconds";
  return (
    <div className="two-cols">
      <CountField data={data} onChange={onChange} field="duration" label="Duration" testId="field-duration" />
      <SelectField
        label="Unit"
        testId="field-unit"
        value={unit}
        options={["seconds", "minutes", "hours", "days"]}
        onChange={(next) => onChange({ unit: next }, "unit")}
      />
    </div>
  );
}
