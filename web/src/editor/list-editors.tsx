/** Editors for the list-shaped fields of node data: options, rules, questions and plain string lists. */
import { CONDITION_OPERATORS } from "../../../src/core/flow.ts";
import { countChars } from "../components/fields.tsx";
import { isRecord, newId } from "./node-catalog.ts";

/** Moves item `index` by `delta` (−1 up, +1 down); out-of-range moves return the list unchanged. */
export function moveItem<T>(items: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (target < 0 || target >= items.length) return [...items];
  const copy = [...items];
  const [item] = copy.splice(index, 1);
  if (item !== undefined) copy.splice(target, 0, item);
  return copy;
}

function RowControls({
  index,
  count,
  onMove,
  onRemove,
  testId,
  label,
}: {
  index: number;
  count: number;
  onMove: (delta: number) => void;
  onRemove: () => void;
  testId: string;
  label: string;
}) {
  return (
    <span className="row-controls">
      <button
        type="button"
        className="icon-btn"
        onClick={() => onMove(-1)}
        disabled={index === 0}
        aria-label={`Move ${label} up`}
        data-testid={`${testId}-up`}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon-btn"
        onClick={() => onMove(1)}
        disabled={index === count - 1}
        aria-label={`Move ${label} down`}
        data-testid={`${testId}-down`}
      >
        ↓
      </button>
      <button
        type="button"
        className="icon-btn danger"
        onClick={onRemove}
        aria-label={`Remove ${label}`}
        data-testid={`${testId}-remove`}
      >
        ✕
      </button>
    </span>
  );
}

function LimitedInput({
  value,
  limit,
  onChange,
  label,
  testId,
  placeholder,
}: {
  value: string;
  limit: number;
  onChange: (value: string) => void;
  label: string;
  testId: string;
  placeholder?: string;
}) {
  const used = countChars(value);
  return (
    <span className="limited">
      <input
        value={value}
        aria-label={label}
        placeholder={placeholder}
        aria-invalid={used > limit || undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      <span className={used > limit ? "counter over" : "counter"}>
        {used}/{limit}
      </span>
    </span>
  );
}

export interface OptionItem {
  id: string;
  title: string;
  description?: string;
  [key: string]: unknown;
}

export function readOptions(value: unknown): OptionItem[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((option) => ({
    ...option,
    id: typeof option.id === "string" ? option.id : "",
    title: typeof option.title === "string" ? option.title : "",
    ...(typeof option.description === "string" ? { description: option.description } : {}),
  }));
}

export function OptionsEditor({
  options,
  titleLimit,
  showDescriptions,
  onChange,
}: {
  options: OptionItem[];
  titleLimit: number;
  showDescriptions: boolean;
  onChange: (options: OptionItem[]) => void;
}) {
  const set = (index: number, patch: Partial<OptionItem>) =>
    onChange(options.map((option, i) => (i === index ? { ...option, ...patch } : option)));
  return (
    <div className="list-editor" data-testid="options-editor">
      {options.map((option, index) => (
        <div key={option.id || index} className="list-row" data-testid={`option-row-${index}`}>
          <div className="list-row-main">
            <LimitedInput
              value={option.title}
              limit={titleLimit}
              label={`Option ${index + 1} title`}
              testId={`field-option-title-${index}`}
              onChange={(title) => set(index, { title })}
            />
            {showDescriptions ? (
              <LimitedInput
                value={option.description ?? ""}
                limit={72}
                label={`Option ${index + 1} description`}
                placeholder="Description (optional)"
                testId={`field-option-description-${index}`}
                onChange={(description) => set(index, { description })}
              />
            ) : null}
            <span className="muted small">id: {option.id}</span>
          </div>
          <RowControls
            index={index}
            count={options.length}
            label={`option ${index + 1}`}
            testId={`option-${index}`}
            onMove={(delta) => onChange(moveItem(options, index, delta))}
            onRemove={() => onChange(options.filter((_, i) => i !== index))}
          />
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        data-testid="option-add"
        onClick={() => onChange([...options, { id: newId("opt"), title: `Option ${options.length + 1}` }])}
      >
        + Add option
      </button>
    </div>
  );
}

export interface RuleItem {
  field: string;
  operator: string;
  value?: unknown;
}

export function readRules(value: unknown): RuleItem[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((rule) => ({
    ...rule,
    field: typeof rule.field === "string" ? rule.field : "",
    operator: typeof rule.operator === "string" ? rule.operator : "equals",
    value: rule.value,
  }));
}

const VALUELESS = new Set(["is_empty", "is_not_empty", "exists"]);

export function RulesEditor({
  rules,
  onChange,
}: {
  rules: RuleItem[];
  onChange: (rules: RuleItem[]) => void;
}) {
  const set = (index: number, patch: Partial<RuleItem>) =>
    onChange(rules.map((rule, i) => (i === index ? { ...rule, ...patch } : rule)));
  return (
    <div className="list-editor" data-testid="rules-editor">
      {rules.map((rule, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rules have no id; rows are edited in place
        <div key={index} className="list-row" data-testid={`rule-row-${index}`}>
          <div className="list-row-main rule-grid">
            <input
              value={rule.field}
              placeholder="variable"
              aria-label={`Rule ${index + 1} variable`}
              data-testid={`field-rule-field-${index}`}
              onChange={(event) => set(index, { field: event.target.value })}
            />
            <select
              value={rule.operator}
              aria-label={`Rule ${index + 1} operator`}
              data-testid={`field-rule-operator-${index}`}
              onChange={(event) => set(index, { operator: event.target.value })}
            >
              {CONDITION_OPERATORS.map((operator) => (
                <option key={operator} value={operator}>
                  {operator.replace(/_/g, " ")}
                </option>
              ))}
            </select>
            {VALUELESS.has(rule.operator) ? null : (
              <input
                value={rule.value === undefined || rule.value === null ? "" : String(rule.value)}
                placeholder="value"
                aria-label={`Rule ${index + 1} value`}
                data-testid={`field-rule-value-${index}`}
                onChange={(event) => set(index, { value: event.target.value })}
              />
            )}
          </div>
          <RowControls
            index={index}
            count={rules.length}
            label={`rule ${index + 1}`}
            testId={`rule-${index}`}
            onMove={(delta) => onChange(moveItem(rules, index, delta))}
            onRemove={() => onChange(rules.filter((_, i) => i !== index))}
          />
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        data-testid="rule-add"
        onClick={() => onChange([...rules, { field: "", operator: "equals", value: "" }])}
      >
        + Add rule
      </button>
    </div>
  );
}

export function StringListEditor({
  items,
  onChange,
  label,
  testId,
  limit,
}: {
  items: string[];
  onChange: (items: string[]) => void;
  label: string;
  testId: string;
  limit?: number;
}) {
  return (
    <div className="list-editor" data-testid={`${testId}-editor`}>
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: plain strings may repeat; rows are edited in place
        <div key={index} className="list-row">
          <div className="list-row-main">
            {limit ? (
              <LimitedInput
                value={item}
                limit={limit}
                label={`${label} ${index + 1}`}
                testId={`field-${testId}-${index}`}
                onChange={(value) => onChange(items.map((old, i) => (i === index ? value : old)))}
              />
            ) : (
              <input
                value={item}
                aria-label={`${label} ${index + 1}`}
                data-testid={`field-${testId}-${index}`}
                onChange={(event) =>
                  onChange(items.map((old, i) => (i === index ? event.target.value : old)))
                }
              />
            )}
          </div>
          <RowControls
            index={index}
            count={items.length}
            label={`${label} ${index + 1}`}
            testId={`${testId}-${index}`}
            onMove={(delta) => onChange(moveItem(items, index, delta))}
            onRemove={() => onChange(items.filter((_, i) => i !== index))}
          />
        </div>
      ))}
      <button
        type="button"
        className="btn small"
        data-testid={`${testId}-add`}
        onClick={() => onChange([...items, ""])}
      >
        + Add {label.toLowerCase()}
      </button>
    </div>
  );
}

export function readStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
