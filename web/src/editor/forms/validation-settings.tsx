/** The answer-validation fieldset of a question input node: expected type and its bounds. */
import { VALIDATION_TYPES } from "../../../../src/core/flow.ts";
import { NumberField, SelectField, TextField } from "../../components/fields.tsx";
import { num, type Patch, str } from "./form-props.ts";

/** Edits an input validation object; shows only the settings its type uses. */
export function ValidationSettings({
  value,
  onChange,
}: {
  value: Record<string, unknown>;
  onChange: (validation: Record<string, unknown>) => void;
}) {
  const type = str(value.type) || "text";
  const set = (patch: Patch) => onChange({ ...value, ...patch });
  return (
    <fieldset className="fieldset">
      <legend>Validation</legend>
      <SelectField
        label="Expected answer"
        testId="field-validation-type"
        value={isValidationType(type) ? type : "text"}
        options={VALIDATION_TYPES}
        onChange={(next) => set({ type: next })}
      />
      {type === "text" || type === "any" || type === "regex" ? (
        <div className="two-cols">
          <NumberField
            label="Min length"
            testId="field-validation-min-length"
            min={0}
            value={num(value.minLength)}
            onChange={(minLength) => set({ minLength })}
          />
          <NumberField
            label="Max length"
            testId="field-validation-max-length"
            min={1}
            value={num(value.maxLength)}
            onChange={(maxLength) => set({ maxLength })}
          />
        </div>
      ) : null}
      {type === "number" ? (
        <div className="two-cols">
          <NumberField
            label="Minimum"
            testId="field-validation-min"
            value={num(value.min)}
            onChange={(min) => set({ min })}
          />
          <NumberField
            label="Maximum"
            testId="field-validation-max"
            value={num(value.max)}
            onChange={(max) => set({ max })}
          />
        </div>
      ) : null}
      {type === "regex" ? (
        <TextField
          label="Pattern"
          testId="field-validation-pattern"
          mono
          value={str(value.pattern)}
          onChange={(pattern) => set({ pattern })}
        />
      ) : null}
      {type === "phone" ? (
        <TextField
          label="Default country code"
          testId="field-validation-country"
          value={str(value.defaultCountryCode)}
          onChange={(defaultCountryCode) => set({ defaultCountryCode })}
          placeholder="34"
        />
      ) : null}
    </fieldset>
  );
}

function isValidationType(value: string): value is (typeof VALIDATION_TYPES)[number] {
  return (VALIDATION_TYPES as readonly string[]).includes(value);
}
