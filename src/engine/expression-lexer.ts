/**
 * Splits a seed 002 condition expression into tokens: words, numbers, quoted strings, `{{variables}}`
 * and operator symbols. The parser in expression-parser.ts turns them into data.
 */

/** A syntax error, with the 0-based character position where it was found. */
export class ExpressionError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at position ${position})`);
    this.name = "ExpressionError";
    this.position = position;
  }
}

/** The operator and punctuation symbols, longest first when matched. */
export type SymbolText =
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | "=="
  | "!="
  | ">="
  | "<="
  | ">"
  | "<"
  | "&&"
  | "||"
  | "!";

/** One lexical unit, with the 0-based character position where it starts. */
export type Token =
  | { kind: "word"; text: string; position: number }
  | { kind: "number"; value: number; text: string; position: number }
  | { kind: "string"; value: string; position: number }
  | { kind: "variable"; path: string; position: number }
  | { kind: "symbol"; text: SymbolText; position: number }
  | { kind: "end"; position: number };

/** A dotted variable path (`user.address.city`), as written bare or inside `{{ }}`. */
export const VARIABLE_PATH = /^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+)*$/u;

/** Tokenizes an expression, always ending with an `end` token; throws ExpressionError on bad input. */
export function tokenize(source: string): Token[] {
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
      if (!VARIABLE_PATH.test(path))
        throw new ExpressionError("Expected a variable name inside {{ }}", index);
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
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r" };
