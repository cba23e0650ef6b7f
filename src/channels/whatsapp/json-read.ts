/**
 * Tiny readers for untrusted JSON (webhooks, Graph answers): each returns undefined instead of
 * throwing, so parsers can walk any shape safely.
 */

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value if it is a string, else undefined. */
export function readString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value if it is an array, else an empty array. */
export function readArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or a finite number written as a string (Graph codes and ids come both ways). */
export function readStringOrNumber(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : undefined;
}
