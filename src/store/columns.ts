/**
 * Column conversions shared by the repositories: flags (0/1 or boolean) and JSON text. Parsing JSON
 * columns is the store's boundary with the outside, so it is the one place a cast is allowed.
 */

/** Flags are written as 0/1: SQLite binds no booleans, and PostgreSQL reads '1'/'0' as boolean input. */
export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** Reads a flag as SQLite (0/1) or PostgreSQL (boolean) returns it. */
export function fromFlag(value: number | boolean): boolean {
  return value === true || value === 1;
}

/** Serialises a value for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Parses a JSON text column written by toJson. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Parses a nullable JSON text column. */
export function parseJsonOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Escapes `%`, `_` and `\` for a LIKE pattern used with `escape '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** Reads a text column holding one of `values`; an unknown value means a corrupt row, so it throws. */
export function parseEnum<T extends string>(values: readonly T[], value: string, column: string): T {
  const found = values.find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`unexpected ${column} "${value}" in the database`);
  return found;
}
