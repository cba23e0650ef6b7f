/**
 * Seed 002's condition expressions (`user_age >= 18 and user_role in [admin, manager]`), parsed into
 * data by a tokenizer and a recursive-descent parser — author text is never evaluated as code.
 */
import { isEmptyValue, looselyEquals, normalizeText, parseNumber, splitListValue } from "./conditions.ts";
import { testUserRegex } from "./regex.ts";
import { stringifyValue, type VariableLookup } from "./variables.ts";

export const MAX_EXPRESSION_LENGTH = 2000;
export const MAX_EXPRESSION_DEPTH = 32;

/** A syntax error, with the 0-based character position where it was found. */
export class ExpressionError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at position ${position})`);
    this.name = "ExpressionError";
    this.position = position;
  }
}

export type ComparisonOperator =
  | "=="
  | "!="
  | ">"
  | "<"
  | ">="
  | "<="
  | "contains"
  | "not contains"
  | "in"
  | "not in"
  | "matches"
  | "not matches";

export type LiteralValue = string | number | boolean | null;

/** Right-hand side of a comparison; `{{path}}` reads another variable. */
export type Operand =
  | { type: "literal"; value: LiteralValue }
  | { type: "variable"; path: string }
  | { type: "list"; items: Operand[] };

export type Expression =
  | { type: "or"; operands: Expression[] }
  | { type: "and"; operands: Expression[] }
  | { type: "not"; operand: Expression }
  | { type: "comparison"; path: string; operator: ComparisonOperator; value: Operand }
  | { type: "exists"; path: string; negated: boolean }
  | { type: "truthy"; path: string };

/**
 * Parses an expression; throws ExpressionError on bad syntax, over-long input or too deep nesting.
 * @example parseExpression("user_role in [admin, manager]")
 */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`Expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, 0);
  }
  return new Parser(tokenize(source)).parse();
}

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

// ---------------------------------------------------------------------------------------------------
// Tokenizer

type SymbolText = "(" | ")" | "[" | "]" | "," | "==" | "!=" | ">=" | "<=" | ">" | "<" | "&&" | "||" | "!";

type Token =
  | { kind: "word"; text: string; position: number }
  | { kind: "number"; value: number; text: string; position: number }
  | { kind: "string"; value: string; position: number }
  | { kind: "variable"; path: string; position: number }
  | { kind: "symbol"; text: SymbolText; position: number }
  | { kind: "end"; position: number };

const SYMBOLS: readonly SymbolText[] = [
  "==",
  "!=",
  ">=",
  "<=",
  "&&",
  "||",
  "(",
  ")",
  "[",
  "]",
  ",",
  ">",
  "<",
  "!",
];
const WHITESPACE = /\s+/y;
const WORD = /[\p{L}\p{N}_.@+\-:/%]+/uy;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const PATH = /^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+)*$/u;
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r" };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    WHITESPACE.lastIndex = index;
    if (WHITESPACE.test(source)) {
      index = WHITESPACE.lastIndex;
      continue;
    }
    const char = source.charAt(index);
    if (source.startsWith("{{", index)) {
      const close = source.indexOf("}}", index + 2);
      const path = close === -1 ? "" : source.slice(index + 2, close).trim();
      if (!PATH.test(path)) throw new ExpressionError("Expected a variable name inside {{ }}", index);
      tokens.push({ kind: "variable", path, position: index });
      index = close + 2;
      continue;
    }
    if (char === '"' || char === "'") {
      const { value, end } = readString(source, index);
      tokens.push({ kind: "string", value, position: index });
      index = end;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, index));
    if (symbol !== undefined) {
      tokens.push({ kind: "symbol", text: symbol, position: index });
      index += symbol.length;
      continue;
    }
    WORD.lastIndex = index;
    const word = WORD.exec(source);
    if (word === null) {
      const hint = char === "=" ? "; use == to compare" : "";
      throw new ExpressionError(`Unexpected character '${char}'${hint}`, index);
    }
    const text = word[0];
    tokens.push(
      NUMBER.test(text)
        ? { kind: "number", value: Number(text), text, position: index }
        : { kind: "word", text, position: index },
    );
    index += text.length;
  }
  tokens.push({ kind: "end", position: source.length });
  return tokens;
}

function readString(source: string, start: number): { value: string; end: number } {
  const quote = source.charAt(start);
  let value = "";
  let index = start + 1;
  while (index < source.length) {
    const char = source.charAt(index);
    if (char === quote) return { value, end: index + 1 };
    if (char === "\\" && index + 1 < source.length) {
      const next = source.charAt(index + 1);
      value += ESCAPES[next] ?? next;
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
  throw new ExpressionError("Unterminated string", start);
}

// ---------------------------------------------------------------------------------------------------
// Parser

const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "contains",
  "in",
  "matches",
  "exists",
  "true",
  "false",
  "null",
]);
const SYMBOL_OPERATORS: readonly string[] = ["==", "!=", ">", "<", ">=", "<="];
const NEGATABLE = new Set(["exists", "contains", "in", "matches"]);

function isSymbolOperator(text: string): text is "==" | "!=" | ">" | "<" | ">=" | "<=" {
  return SYMBOL_OPERATORS.includes(text);
}

function isKeyword(token: Token, keyword: string): boolean {
  return token.kind === "word" && token.text.toLowerCase() === keyword;
}

function isSymbol(token: Token, text: SymbolText): boolean {
  return token.kind === "symbol" && token.text === text;
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case "end":
      return "end of expression";
    case "word":
    case "symbol":
    case "number":
      return `'${token.text}'`;
    case "string":
      return "a quoted string";
    case "variable":
      return `'{{${token.path}}}'`;
  }
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): Expression {
    if (this.peek().kind === "end") throw new ExpressionError("Expression is empty", 0);
    const expression = this.parseOr();
    const next = this.peek();
    if (next.kind !== "end") throw new ExpressionError(`Unexpected ${describeToken(next)}`, next.position);
    return expression;
  }

  private peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    const token = this.tokens[this.index + offset] ?? last;
    if (token === undefined) throw new ExpressionError("Expression is empty", 0);
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "end") this.index += 1;
    return token;
  }

  private enter(position: number): void {
    this.depth += 1;
    if (this.depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionError(`Expression is nested deeper than ${MAX_EXPRESSION_DEPTH} levels`, position);
    }
  }

  private parseOr(): Expression {
    const operands = [this.parseAnd()];
    while (isKeyword(this.peek(), "or") || isSymbol(this.peek(), "||")) {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 && operands[0] !== undefined ? operands[0] : { type: "or", operands };
  }

  private parseAnd(): Expression {
    const operands = [this.parseNot()];
    while (isKeyword(this.peek(), "and") || isSymbol(this.peek(), "&&")) {
      this.next();
      operands.push(this.parseNot());
    }
    return operands.length === 1 && operands[0] !== undefined ? operands[0] : { type: "and", operands };
  }

  private parseNot(): Expression {
    const token = this.peek();
    if (isKeyword(token, "not") || isSymbol(token, "!")) {
      this.next();
      this.enter(token.position);
      const operand = this.parseNot();
      this.depth -= 1;
      return { type: "not", operand };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    if (!isSymbol(token, "(")) return this.parseComparison();
    this.next();
    this.enter(token.position);
    const expression = this.parseOr();
    const close = this.next();
    if (!isSymbol(close, ")"))
      throw new ExpressionError(`Expected ')' but found ${describeToken(close)}`, close.position);
    this.depth -= 1;
    return expression;
  }

  private parseComparison(): Expression {
    const path = this.parsePath();
    const token = this.peek();
    if (token.kind === "symbol" && isSymbolOperator(token.text)) {
      this.next();
      return { type: "comparison", path, operator: token.text, value: this.parseOperand() };
    }
    const negated = isKeyword(token, "not");
    const keywordToken = negated ? this.peek(1) : token;
    const keyword = keywordToken.kind === "word" ? keywordToken.text.toLowerCase() : "";
    if (!NEGATABLE.has(keyword)) {
      if (negated)
        throw new ExpressionError(
          "Expected exists, contains, in or matches after 'not'",
          keywordToken.position,
        );
      return { type: "truthy", path };
    }
    this.next();
    if (negated) this.next();
    if (keyword === "exists") return { type: "exists", path, negated };
    const base = keyword === "contains" ? "contains" : keyword === "in" ? "in" : "matches";
    const operator: ComparisonOperator = negated ? `not ${base}` : base;
    const value = base === "in" && isSymbol(this.peek(), "[") ? this.parseList() : this.parseOperand();
    return { type: "comparison", path, operator, value };
  }

  private parsePath(): string {
    const token = this.next();
    if (token.kind === "variable") return token.path;
    if (token.kind === "word" && !KEYWORDS.has(token.text.toLowerCase()) && PATH.test(token.text))
      return token.text;
    throw new ExpressionError(`Expected a variable name but found ${describeToken(token)}`, token.position);
  }

  private parseOperand(): Operand {
    const token = this.peek();
    if (isSymbol(token, "[")) throw new ExpressionError("A list can only follow 'in'", token.position);
    return this.parseValue(true);
  }

  private parseList(): Operand {
    this.next();
    const items: Operand[] = [];
    if (isSymbol(this.peek(), "]")) {
      this.next();
      return { type: "list", items };
    }
    for (;;) {
      items.push(this.parseValue(false));
      const separator = this.next();
      if (isSymbol(separator, "]")) return { type: "list", items };
      if (!isSymbol(separator, ",")) {
        throw new ExpressionError(
          `Expected ',' or ']' but found ${describeToken(separator)}`,
          separator.position,
        );
      }
    }
  }

  /** A single value; consecutive bare words join into one literal ("New York"). */
  private parseValue(topLevel: boolean): Operand {
    const token = this.next();
    switch (token.kind) {
      case "number":
        return { type: "literal", value: token.value };
      case "string":
        return { type: "literal", value: token.value };
      case "variable":
        return { type: "variable", path: token.path };
      case "word": {
        const lower = token.text.toLowerCase();
        if (lower === "true" || lower === "false") return { type: "literal", value: lower === "true" };
        if (lower === "null") return { type: "literal", value: null };
        if (KEYWORDS.has(lower)) break;
        const words = [token.text];
        for (let following = this.peek(); ; following = this.peek()) {
          if (following.kind !== "word" && following.kind !== "number") break;
          if (following.kind === "word" && KEYWORDS.has(following.text.toLowerCase())) break;
          this.next();
          words.push(following.text);
        }
        return { type: "literal", value: words.join(" ") };
      }
      default:
        break;
    }
    const expected = topLevel ? "a value" : "a list item";
    throw new ExpressionError(`Expected ${expected} but found ${describeToken(token)}`, token.position);
  }
}
