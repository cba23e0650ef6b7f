/** Inspector form for a condition node: rules joined by AND/OR, or one expression that overrides them. */
import { SelectField, TextField } from "../../components/fields.tsx";
import { RulesEditor, readRules } from "../list-editors.tsx";
import { type FormProps, str } from "./form-props.ts";

/** The condition node form. */
export function ConditionForm({ data, onChange }: FormProps) {
  return (
    <>
      <SelectField
        label="Match"
        testId="field-logic"
        value={str(data.logic).toUpperCase() === "OR" ? "OR" : "AND"}
        options={
          [
            { value: "AND", label: "All rules (AND)" },
            { value: "OR", label: "Any rule (OR)" },
          ] as const
        }
        onChange={(logic) => onChange({ logic }, "logic")}
      />
      <h3>Rules</h3>
      <RulesEditor rules={readRules(data.rules)} onChange={(rules) => onChange({ rules }, "rules")} />
      <TextField
        label="Expression (overrides rules)"
        testId="field-expression"
        mono
        value={str(data.expression)}
        onChange={(expression) =>
          onChange({ expression: expression === "" ? undefined : expression }, "expression")
        }
        hint='e.g. age >= 18 and city == "Madrid"'
      />
    </>
  );
}
