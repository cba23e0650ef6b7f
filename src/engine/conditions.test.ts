import { describe, expect, it } from "vitest";
import type { ConditionRule } from "../core/flow.ts";
import {
  evaluateRule,
  evaluateRules,
  isEmptyValue,
  isKnownOperator,
  parseNumber,
  splitListValue,
} from "./conditions.ts";
import { createVariableLookup } from "./variables.ts";

const lookup = createVariableLookup({
  variables: {
    age: 18,
    ageText: "18",
    name: "  John Doe ",
    price: "3,5",
    empty: "",
    blank: "   ",
    list: [],
    object: {},
    nothing: null,
    role: "Admin",
    threshold: "20",
    user: { city: "Madrid" },
    email: "ana@example.com",
    flag: false,
    zero: 0,
  },
  contact: { id: "c1", name: "Ana" },
});

const rule = (field: string, operator: string, value?: unknown): ConditionRule => ({
  field,
  operator,
  value,
});

describe("evaluateRule", () => {
  it.each([
    { rule: rule("age", "equals", "18"), expected: true },
    { rule: rule("ageText", "equals", 18), expected: true },
    { rule: rule("name", "equals", "john doe"), expected: true },
    { rule: rule("name", "equals", "John"), expected: false },
    { rule: rule("missing", "equals", ""), expected: true },
    { rule: rule("name", "not_equals", "john doe"), expected: false },
    { rule: rule("role", "not_equals", "user"), expected: true },
    { rule: rule("name", "contains", "JOHN"), expected: true },
    { rule: rule("name", "not_contains", "smith"), expected: true },
    { rule: rule("name", "not_contains", "doe"), expected: false },
    { rule: rule("name", "starts_with", "john"), expected: true },
    { rule: rule("name", "ends_with", "DOE"), expected: true },
    { rule: rule("name", "ends_with", "john"), expected: false },
    { rule: rule("age", "greater_than", "17"), expected: true },
    { rule: rule("age", "greater_than", 18), expected: false },
    { rule: rule("price", "greater_than", "3.4"), expected: true },
    { rule: rule("price", "less_than", 4), expected: true },
    { rule: rule("age", "greater_or_equal", "18"), expected: true },
    { rule: rule("age", "less_or_equal", "17.9"), expected: false },
    { rule: rule("name", "greater_than", "1"), expected: false },
    { rule: rule("age", "less_than", "abc"), expected: false },
    { rule: rule("missing", "less_than", "5"), expected: false },
    { rule: rule("age", "less_than", "{{threshold}}"), expected: true },
    { rule: rule("empty", "is_empty"), expected: true },
    { rule: rule("blank", "is_empty"), expected: true },
    { rule: rule("list", "is_empty"), expected: true },
    { rule: rule("object", "is_empty"), expected: true },
    { rule: rule("nothing", "is_empty"), expected: true },
    { rule: rule("missing", "is_empty"), expected: true },
    { rule: rule("zero", "is_empty"), expected: false },
    { rule: rule("name", "is_not_empty"), expected: true },
    { rule: rule("blank", "is_not_empty"), expected: false },
    { rule: rule("empty", "exists"), expected: true },
    { rule: rule("flag", "exists"), expected: true },
    { rule: rule("nothing", "exists"), expected: false },
    { rule: rule("missing", "exists"), expected: false },
    { rule: rule("role", "in", ["user", "admin"]), expected: true },
    { rule: rule("role", "in", "user, ADMIN , manager"), expected: true },
    { rule: rule("role", "in", "[user, admin]"), expected: true },
    { rule: rule("role", "in", '["user", "admin"]'), expected: true },
    { rule: rule("role", "in", "user, manager"), expected: false },
    { rule: rule("age", "in", [17, 18]), expected: true },
    { rule: rule("email", "matches_regex", "^[^@]+@EXAMPLE\\.com$"), expected: true },
    { rule: rule("email", "matches_regex", "^\\d+$"), expected: false },
    { rule: rule("email", "matches_regex", "([a-z]"), expected: false },
    { rule: rule("email", "matches_regex", 42), expected: false },
    { rule: rule("user.city", "equals", "madrid"), expected: true },
    { rule: rule("{{ user.city }}", "equals", "madrid"), expected: true },
    { rule: rule("contact.name", "equals", "ana"), expected: true },
    { rule: rule("name", "equals", "{{contact.name}}"), expected: false },
    { rule: rule("role", "is_admin", "x"), expected: false },
  ])("$rule.field $rule.operator $rule.value → $expected", ({ rule, expected }) => {
    expect(evaluateRule(rule, lookup).result).toBe(expected);
  });

  it("reports the interpolated expected value and the actual value", () => {
    expect(evaluateRule(rule("age", "less_than", "{{threshold}}"), lookup)).toEqual({
      field: "age",
      operator: "less_than",
      expected: "20",
      actual: 18,
      result: true,
    });
  });
});

describe("evaluateRules", () => {
  const yes = rule("age", "equals", 18);
  const no = rule("age", "equals", 99);
  it.each([
    { rules: [], logic: "AND" as const, expected: true },
    { rules: [], logic: "OR" as const, expected: true },
    { rules: [yes, yes], logic: "AND" as const, expected: true },
    { rules: [yes, no], logic: "AND" as const, expected: false },
    { rules: [yes, no], logic: "OR" as const, expected: true },
    { rules: [no, no], logic: "OR" as const, expected: false },
  ])("$rules.length rules joined by $logic → $expected", ({ rules, logic, expected }) => {
    const evaluated = evaluateRules(rules, logic, lookup);
    expect(evaluated.result).toBe(expected);
    expect(evaluated.rules).toHaveLength(rules.length);
  });
});

describe("helpers", () => {
  it.each([
    { operator: "equals", known: true },
    { operator: "in", known: true },
    { operator: "Equals", known: false },
    { operator: "toString", known: false },
  ])("isKnownOperator($operator) → $known", ({ operator, known }) => {
    expect(isKnownOperator(operator)).toBe(known);
  });

  it.each([
    { input: "42", expected: 42 },
    { input: " -3.5 ", expected: -3.5 },
    { input: "3,5", expected: 3.5 },
    { input: "1 000", expected: 1000 },
    { input: "1\u00a0000,25", expected: 1000.25 },
    { input: ".5", expected: 0.5 },
    { input: 7, expected: 7 },
    { input: Number.NaN, expected: undefined },
    { input: "", expected: undefined },
    { input: "12abc", expected: undefined },
    { input: "1 2", expected: undefined },
    { input: "0x10", expected: undefined },
    { input: "1e5", expected: undefined },
    { input: true, expected: undefined },
  ])("parseNumber($input) → $expected", ({ input, expected }) => {
    expect(parseNumber(input)).toBe(expected);
  });

  it.each([
    { input: [], expected: true },
    { input: {}, expected: true },
    { input: " ", expected: true },
    { input: 0, expected: false },
    { input: false, expected: false },
    { input: [0], expected: false },
  ])("isEmptyValue($input) → $expected", ({ input, expected }) => {
    expect(isEmptyValue(input)).toBe(expected);
  });

  it.each([
    { input: "a, b ,c", expected: ["a", "b", "c"] },
    { input: "[a, 'b c']", expected: ["a", "b c"] },
    { input: ["x"], expected: ["x"] },
    { input: "", expected: [] },
    { input: undefined, expected: [] },
    { input: 5, expected: [5] },
  ])("splitListValue($input)", ({ input, expected }) => {
    expect(splitListValue(input)).toEqual(expected);
  });
});
