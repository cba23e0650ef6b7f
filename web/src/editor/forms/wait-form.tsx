/** Inspector form for a wait node: a duration and its unit. */
import { NumberField, SelectField } from "../../components/fields.tsx";
import { type FormProps, num, str } from "./form-props.ts";

/** The wait node form. */
export function WaitForm({ data, onChange }: FormProps) {
  const unit = str(data.unit) || "seconds";
  return (
    <div className="two-cols">
      <NumberField
        label="Duration"
        testId="field-duration"
        min={1}
        value={num(data.duration)}
        onChange={(duration) => onChange({ duration }, "duration")}
      />
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
