/** Labelled form fields for the inspector; text fields show a counter against WhatsApp's limits. */
import { type ReactNode, useId } from "react";

interface BaseProps {
  label: string;
  testId: string;
  hint?: ReactNode;
}

/** Counts user-perceived characters the way the channel renderers cut them (code points). */
export function countChars(text: string): number {
  return Array.from(text).length;
}

function Counter({ value, limit }: { value: string; limit: number | undefined }) {
  if (limit === undefined) return null;
  const used = countChars(value);
  return (
    <span className={used > limit ? "counter over" : "counter"} aria-live="polite">
      {used}/{limit}
    </span>
  );
}

interface TextFieldProps extends BaseProps {
  value: string;
  onChange: (value: string) => void;
  limit?: number;
  multiline?: boolean;
  rows?: number;
  placeholder?: string;
  mono?: boolean;
}

export function TextField({
  label,
  testId,
  hint,
  value,
  onChange,
  limit,
  multiline,
  rows,
  placeholder,
  mono,
}: TextFieldProps) {
  const id = useId();
  const over = limit !== undefined && countChars(value) > limit;
  const common = {
    id,
    value,
    placeholder,
    "data-testid": testId,
    "aria-invalid": over || undefined,
    className: mono ? "mono" : undefined,
  };
  return (
    <div className="field">
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        <Counter value={value} limit={limit} />
      </div>
      {multiline ? (
        <textarea {...common} rows={rows ?? 3} onChange={(event) => onChange(event.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(event) => onChange(event.target.value)} />
      )}
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}

interface NumberFieldProps extends BaseProps {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  min?: number;
  step?: number;
}

export function NumberField({ label, testId, hint, value, onChange, min, step }: NumberFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
      </div>
      <input
        id={id}
        type="number"
        value={value ?? ""}
        min={min}
        step={step}
        data-testid={testId}
        onChange={(event) => {
          const text = event.target.value;
          const parsed = Number(text);
          onChange(text === "" || Number.isNaN(parsed) ? undefined : parsed);
        }}
      />
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}

interface SelectFieldProps<T extends string> extends BaseProps {
  value: T;
  options: readonly T[] | readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

export function SelectField<T extends string>({
  label,
  testId,
  hint,
  value,
  options,
  onChange,
}: SelectFieldProps<T>) {
  const id = useId();
  const items = options.map((option) =>
    typeof option === "string" ? { value: option, label: option } : option,
  );
  return (
    <div className="field">
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
      </div>
      <select
        id={id}
        value={value}
        data-testid={testId}
        onChange={(event) => {
          const chosen = items.find((item) => item.value === event.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {items.map((item) => (
          <option key={item.value} value={item.value}>
            {item.label}
          </option>
        ))}
      </select>
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}

interface CheckboxFieldProps extends BaseProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function CheckboxField({ label, testId, checked, onChange }: CheckboxFieldProps) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={checked}
        data-testid={testId}
        onChange={(event) => onChange(event.target.checked)}
      />
      {label}
    </label>
  );
}
