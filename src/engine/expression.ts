/**
 * Seed 002's condition expressions (`user_age >= 18 and user_role in [admin, manager]`): evaluation of
 * the parsed tree, plus the public API re-exported from the lexer and parser modules.
 */
import { isEmptyValue, looselyEquals, normalizeText, parseNumber, splitListValue } from "./conditions.ts";
import type { ComparisonOperator, Expression, Operand } from "./expression-parser.ts";
import { testUserRegex } from "./regex.ts";
import { stringifyValue, type VariableLookup } from "./variables.ts";

export { ExpressionError } from "./expression-lexer.ts";
export type { ComparisonOperator, Expression, LiteralValue, Operand } from "./expression-parser.ts";
export { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression } from "./expression-parser.ts";

/** Evaluates a parsed expression against the execution's variables. */
export function evaluateExpression(expression: Expression, lookup: VariableLookup): boolean {
  switch (expression.type) {
    case "or":
      return expression.operands.some((operand) => evaluateExpression(operand, lookup));
    case "and":
      return expression.operands.every((operand) => evaluateExpression(operand, lookup));
    case "not":
      return !evaluateExpression(expression.operand, lookup);
    case "exists": {
      const value = readPath(expression.path, lookup);
      return (value !== undefined && value !== null) !== expression.negated;
    }
    case "truthy":
      return isTruthy(readPath(expression.path, lookup));
    case "comparison":
      return compare(
        readPath(expression.path, lookup),
        expression.operator,
        resolveOperand(expression.value, lookup),
      );
    default: {
      const unreachable: never = expression;
      return unreachable;
    }
  }
}

/** The variable paths an expression reads, each once, in order of appearance. */
export function expressionVariables(expression: Expression): string[] {
  const found = new Set<string>();
  collectVariables(expression, found);
  return [...found];
}

function collectVariables(expression: Expression, found: Set<string>): void {
  switch (expression.type) {
    case "or":
    case "and":
      for (const operand of expression.operands) collectVariables(operand, found);
      return;
    case "not":
      collectVariables(expression.operand, found);
      return;
    case "comparison":
      found.add(expression.path);
      collectOperandVariables(expression.value, found);
      return;
    case "exists":
    case "truthy":
      found.add(expression.path);
      return;
  }
}

function collectOperandVariables(operand: Operand, found: Set<string>): void {
  if (operand.type === "variable") found.add(operand.path);
  if (operand.type === "list") for (const item of operand.items) collectOperandVariables(item, found);
}

const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

/** Defence in depth on top of the lookup's own-property walk. */
function readPath(path: string, lookup: VariableLookup): unknown {
  if (path.split(".").some((segment) => FORBIDDEN_SEGMENTS.has(segment))) return undefined;
  return lookup(path);
}

function resolveOperand(operand: Operand, lookup: VariableLookup): unknown {
  if (operand.type === "literal") return operand.value;
  if (operand.type === "variable") return readPath(operand.path, lookup);
  return operand.items.map((item) => resolveOperand(item, lookup));
}

const FALSY_TEXT = new Set(["", "false", "0"]);

function isTruthy(value: unknown): boolean {
  if (value === false || value === 0 || isEmptyValue(value)) return false;
  return !(typeof value === "string" && FALSY_TEXT.has(normalizeText(value)));
}

function compare(actual: unknown, operator: ComparisonOperator, expected: unknown): boolean {
  switch (operator) {
    case "==":
      return equals(actual, expected);
    case "!=":
      return !equals(actual, expected);
    case ">":
      return compareNumbers(actual, expected, (a, b) => a > b);
    case "<":
      return compareNumbers(actual, expected, (a, b) => a < b);
    case ">=":
      return compareNumbers(actual, expected, (a, b) => a >= b);
    case "<=":
      return compareNumbers(actual, expected, (a, b) => a <= b);
    case "contains":
      return contains(actual, expected);
    case "not contains":
      return !contains(actual, expected);
    case "in":
      return splitListValue(expected).some((item) => equals(actual, item));
    case "not in":
      return !splitListValue(expected).some((item) => equals(actual, item));
    case "matches":
      return matches(actual, expected);
    case "not matches":
      return !matches(actual, expected);
    default: {
      const unreachable: never = operator;
      return unreachable;
    }
  }
}

function equals(actual: unknown, expected: unknown): boolean {
  if (expected === null || actual === null) return (actual ?? null) === (expected ?? null);
  return looselyEquals(actual, expected);
}

function compareNumbers(
  actual: unknown,
  expected: unknown,
  test: (a: number, b: number) => boolean,
): boolean {
  const a = parseNumber(actual);
  const b = parseNumber(expected);
  return a !== undefined && b !== undefined && test(a, b);
}

function contains(actual: unknown, expected: unknown): boolean {
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) return actual.some((item) => equals(item, expected));
  return normalizeText(actual).includes(normalizeText(expected));
}

function matches(actual: unknown, pattern: unknown): boolean {
  if (actual === undefined || actual === null || typeof pattern !== "string") return false;
  return testUserRegex(pattern, stringifyValue(actual), "i");
}
