/**
 * Condition node rules (seed 000 operators plus comparisons, regex, exists, in). Comparisons are
 * forgiving on purpose: answers arrive as text, so "18" equals 18 and "3,5" is a number.
 */
import { CONDITION_OPERATORS, type ConditionOperator, type ConditionRule } from "../core/flow.ts";
import { interpolate } from "./interpolate.ts";
import { testUserRegex } from "./regex.ts";
import { stringifyValue, type VariableLookup } from "./variables.ts";

/** One evaluated rule, as the engine logs it. */
export interface RuleResult {
  field: string;
  operator: string;
  expected: unknown;
  actual: unknown;
  result: boolean;
}

/** Whether `operator` is one the engine can evaluate. */
export function isKnownOperator(operator: string): operator is ConditionOperator {
  return (CONDITION_OPERATORS as readonly string[]).includes(operator);
}

/** Evaluates one rule; `{{...}}` in a string value is interpolated first. Unknown operators are false. */
export function evaluateRule(rule: ConditionRule, lookup: VariableLookup): RuleResult {
  const actual = lookup(readRuleField(rule.field));
  const expected = typeof rule.value === "string" ? interpolate(rule.value, lookup) : rule.value;
  const result = isKnownOperator(rule.operator) && applyOperator(rule.operator, actual, expected);
  return { field: rule.field, operator: rule.operator, expected, actual, result };
}

/** Evaluates rules joined by AND (all) or OR (any); no rules is true, as in seed 000. */
export function evaluateRules(
  rules: readonly ConditionRule[],
  logic: "AND" | "OR",
  lookup: VariableLookup,
): { result: boolean; rules: RuleResult[] } {
  const results = rules.map((rule) => evaluateRule(rule, lookup));
  if (results.length === 0) return { result: true, rules: results };
  const result = logic === "OR" ? results.some((r) => r.result) : results.every((r) => r.result);
  return { result, rules: results };
}

/** The variable path a rule reads; builders sometimes wrap it as `{{name}}`. */
export function readRuleField(field: string): string {
  return field.trim().replace(/^\{\{\s*(.*?)\s*\}\}$/, "$1");
}

function applyOperator(operator: ConditionOperator, actual: unknown, expected: unknown): boolean {
  const left = normalizeText(actual);
  const right = normalizeText(expected);
  switch (operator) {
    case "equals":
      return looselyEquals(actual, expected);
    case "not_equals":
      return !looselyEquals(actual, expected);
    case "contains":
      return left.includes(right);
    case "not_contains":
      return !left.includes(right);
    case "starts_with":
      return left.startsWith(right);
    case "ends_with":
      return left.endsWith(right);
    case "is_empty":
      return isEmptyValue(actual);
    case "is_not_empty":
      return !isEmptyValue(actual);
    case "greater_than":
      return compareNumbers(actual, expected, (a, b) => a > b);
    case "less_than":
      return compareNumbers(actual, expected, (a, b) => a < b);
    case "greater_or_equal":
      return compareNumbers(actual, expected, (a, b) => a >= b);
    case "less_or_equal":
      return compareNumbers(actual, expected, (a, b) => a <= b);
    case "matches_regex":
      return typeof expected === "string" && testUserRegex(expected, stringifyValue(actual), "i");
    case "exists":
      return actual !== undefined && actual !== null;
    case "in":
      return splitListValue(expected).some((item) => normalizeText(item) === left);
    default: {
      const unreachable: never = operator;
      return unreachable;
    }
  }
}

/** Lower-cased, trimmed text form of a value, for case-insensitive comparisons. */
export function normalizeText(value: unknown): string {
  return stringifyValue(value).trim().toLowerCase();
}

/** Equality as an author means it: numeric when both sides are numbers, else case-insensitive text. */
export function looselyEquals(actual: unknown, expected: unknown): boolean {
  const a = parseNumber(actual);
  const b = parseNumber(expected);
  if (a !== undefined && b !== undefined) return a === b;
  return normalizeText(actual) === normalizeText(expected);
}

const NUMBER_PATTERN = /^[+-]?(\d+(?:[.,]\d+)?|[.,]\d+)$/;
const GROUPED_PATTERN = /^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$/;

/** Parses a number written by a person ("42", "-3.5", "3,5", "1 000"); `undefined` when it is not one. */
export function parseNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  let text = value.trim();
  if (GROUPED_PATTERN.test(text)) text = text.replace(/[ \u00a0\u202f]/g, "");
  if (!NUMBER_PATTERN.test(text)) return undefined;
  const parsed = Number(text.replace(",", "."));
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Empty means nothing to work with: undefined, null, blank text, `[]` or `{}`. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

/** The items of an `in` value: an array, or text such as "a, b, c" or "[a, b]". */
export function splitListValue(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== "string") return value === undefined || value === null ? [] : [value];
  const inner = value.trim().replace(/^\[(.*)\]$/s, "$1");
  return inner
    .split(",")
    .map((item) => item.trim().replace(/^(["'])(.*)\1$/s, "$2"))
    .filter((item) => item !== "");
}

function compareNumbers(
  actual: unknown,
  expected: unknown,
  compare: (a: number, b: number) => boolean,
): boolean {
  const a = parseNumber(actual);
  const b = parseNumber(expected);
  return a !== undefined && b !== undefined && compare(a, b);
}
