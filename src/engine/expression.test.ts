import { describe, expect, it } from "vitest";
import {
  ExpressionError,
  evaluateExpression,
  expressionVariables,
  MAX_EXPRESSION_DEPTH,
  parseExpression,
} from "./expression.ts";
import { createVariableLookup } from "./variables.ts";

const lookup = createVariableLookup({
  variables: {
    user_age: 25,
    user_name: "John Doe",
    user_role: "admin",
    email: "ana@example.com",
    user_authenticated: "true",
    score: "3,5",
    tags: ["vip", "beta"],
    city: "New York",
    limit: "30",
    empty: "",
    off: "false",
    nothing: null,
    profile: { level: 3 },
  },
  contact: { id: "c1", name: "Ana", phone: "+34600000000" },
});

const run = (source: string) => evaluateExpression(parseExpression(source), lookup);

describe("evaluateExpression", () => {
  it.each([
    // seed 002 examples
    { source: "user_age >= 18", expected: true },
    { source: "user_name contains John", expected: true },
    { source: "user_role in [admin, manager]", expected: true },
    { source: "email exists", expected: true },
    { source: "user_authenticated == true", expected: true },
    // comparisons
    { source: "user_age == 25", expected: true },
    { source: "user_age == '25'", expected: true },
    { source: "user_age != 25", expected: false },
    { source: "user_age > 25", expected: false },
    { source: "user_age < 30.5", expected: true },
    { source: "user_age <= -1", expected: false },
    { source: "score > 3.4", expected: true },
    { source: "user_name > 3", expected: false },
    { source: "missing < 3", expected: false },
    { source: "user_role == ADMIN", expected: true },
    { source: 'user_name == "john doe"', expected: true },
    { source: "city == New York", expected: true },
    { source: "user_name == 'It\\'s'", expected: false },
    { source: "nothing == null", expected: true },
    { source: "missing == null", expected: true },
    { source: "user_role == null", expected: false },
    { source: "user_age < {{limit}}", expected: true },
    // contains, in, matches
    { source: "user_name contains JOHN", expected: true },
    { source: "user_name not contains Smith", expected: true },
    { source: "tags contains VIP", expected: true },
    { source: "tags contains vi", expected: false },
    { source: "missing contains a", expected: false },
    { source: "user_role in ['admin', \"boss\"]", expected: true },
    { source: "user_role in 'guest, admin'", expected: true },
    { source: "user_role not in [guest, user]", expected: true },
    { source: "user_age in [18, 25]", expected: true },
    { source: "user_role in []", expected: false },
    { source: "user_role in {{tags}}", expected: false },
    { source: "email matches '^[a-z]+@EXAMPLE\\\\.com$'", expected: true },
    { source: "email matches '(['", expected: false },
    { source: "email not matches '^\\\\d+$'", expected: true },
    // exists and truthiness
    { source: "missing exists", expected: false },
    { source: "nothing exists", expected: false },
    { source: "missing not exists", expected: true },
    { source: "email NOT EXISTS", expected: false },
    { source: "email", expected: true },
    { source: "empty", expected: false },
    { source: "off", expected: false },
    { source: "missing", expected: false },
    { source: "profile.level == 3", expected: true },
    { source: "contact.name == ana", expected: true },
    // logic
    { source: "user_age >= 18 and user_role == admin", expected: true },
    { source: "user_age >= 18 AND user_role == guest", expected: false },
    { source: "user_age < 18 or user_role == admin", expected: true },
    { source: "user_age < 18 || user_role == guest", expected: false },
    { source: "user_age >= 18 && !(user_role == guest)", expected: true },
    { source: "not email exists", expected: false },
    { source: "not not email exists", expected: true },
    { source: "user_age < 18 or user_role == admin and missing exists", expected: false },
    { source: "(user_age < 18 or user_role == admin) and email exists", expected: true },
  ])("$source → $expected", ({ source, expected }) => {
    expect(run(source)).toBe(expected);
  });
});

describe("parseExpression", () => {
  it("builds a tree tagged by type", () => {
    expect(parseExpression("a > 1 and not (b in [x, 'y z'])")).toEqual({
      type: "and",
      operands: [
        { type: "comparison", path: "a", operator: ">", value: { type: "literal", value: 1 } },
        {
          type: "not",
          operand: {
            type: "comparison",
            path: "b",
            operator: "in",
            value: {
              type: "list",
              items: [
                { type: "literal", value: "x" },
                { type: "literal", value: "y z" },
              ],
            },
          },
        },
      ],
    });
  });

  it.each([
    { source: "", position: 0 },
    { source: "   ", position: 0 },
    { source: "a ==", position: 4 },
    { source: "a = b", position: 2 },
    { source: "== 3", position: 0 },
    { source: "(a == 1", position: 7 },
    { source: "a == 1)", position: 6 },
    { source: "a == 'open", position: 5 },
    { source: "a == [1, 2]", position: 5 },
    { source: "a in [1 2", position: 8 },
    { source: "a not 3", position: 6 },
    { source: "and == 3", position: 0 },
    { source: "a == b c == d", position: 9 },
    { source: "{{ }} == 1", position: 0 },
    { source: "a-b == 1", position: 0 },
    { source: "a == 1 and", position: 10 },
  ])("rejects $source at position $position", ({ source, position }) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
    try {
      parseExpression(source);
    } catch (error) {
      expect(error instanceof ExpressionError && error.position).toBe(position);
    }
  });
});

describe("malicious input", () => {
  it.each([
    'constructor.constructor("return process")()',
    "a == b; process.exit()",
    "this.constructor.constructor('return process')().exit()",
    "require('child_process')",
    "a == `x`",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-literal lookalike is the attack here
    "a == ${process}",
    `${"(".repeat(10_000)}a${")".repeat(10_000)}`,
    `${"(".repeat(MAX_EXPRESSION_DEPTH + 1)}a${")".repeat(MAX_EXPRESSION_DEPTH + 1)}`,
    `${"not ".repeat(MAX_EXPRESSION_DEPTH + 1)}a`,
    `${"!".repeat(MAX_EXPRESSION_DEPTH + 1)}a`,
  ])("throws ExpressionError for %s", (source) => {
    expect(() => parseExpression(source)).toThrow(ExpressionError);
  });

  it("accepts nesting up to the depth limit", () => {
    const depth = MAX_EXPRESSION_DEPTH;
    expect(run(`${"(".repeat(depth)}email exists${")".repeat(depth)}`)).toBe(true);
  });

  it("rejects a 1 MB string quickly, before tokenizing", () => {
    const started = performance.now();
    expect(() => parseExpression(`a == '${"x".repeat(1_000_000)}'`)).toThrow(/longer than 2000/);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it.each([
    { source: "__proto__ exists", expected: false },
    { source: "toString exists", expected: false },
    { source: "constructor exists", expected: false },
    { source: "hasOwnProperty", expected: false },
    { source: "profile.__proto__ exists", expected: false },
    { source: "profile.constructor.name exists", expected: false },
    { source: "tags.0 == vip", expected: true },
    { source: "user_name.length > 0", expected: false },
  ])("reads own properties only: $source → $expected", ({ source, expected }) => {
    expect(run(source)).toBe(expected);
  });

  it("treats a quoted operand as data, never code", () => {
    const withPayload = createVariableLookup({ variables: { a: "process.exit()" } });
    expect(evaluateExpression(parseExpression("a == 'process.exit()'"), withPayload)).toBe(true);
  });
});

describe("expressionVariables", () => {
  it.each([
    { source: "user_age >= 18", expected: ["user_age"] },
    { source: "a and (b or not c.d exists) and a == 1", expected: ["a", "b", "c.d"] },
    { source: "x < {{limit}} or y in [{{z}}, q]", expected: ["x", "limit", "y", "z"] },
    { source: "x == bare_word", expected: ["x"] },
  ])("$source reads $expected", ({ source, expected }) => {
    expect(expressionVariables(parseExpression(source))).toEqual(expected);
  });
});
