/**
 * A recursive-descent parser for seed 002's condition expressions: tokens in, an Expression tree out.
 * Author text is only ever read as data, never evaluated as code.
 */
import { ExpressionError, type SymbolText, type Token, tokenize, VARIABLE_PATH } from "./expression-lexer.ts";

/** Longest accepted source, and deepest nesting of parentheses and `not`: bounds on author input. */
export const MAX_EXPRESSION_LENGTH = 2000;
export const MAX_EXPRESSION_DEPTH = 32;

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

/** The parsed tree; pure data, evaluated by evaluateExpression in expression.ts. */
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
    if (token.kind === "word" && !KEYWORDS.has(token.text.toLowerCase()) && VARIABLE_PATH.test(token.text))
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
