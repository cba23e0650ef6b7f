/**
 * Author-supplied regular expressions (conditions, input validation). Compiling is cached because the
 * same few patterns run on every message, and tested text is capped to bound backtracking cost.
 */

const CACHE_LIMIT = 500;
/** WhatsApp's own text limit; longer input only feeds catastrophic backtracking. */
export const MAX_TESTED_TEXT = 4096;
const MAX_PATTERN_LENGTH = 1000;
/** `g` and `y` make `test()` stateful through `lastIndex`, which shared cached instances cannot have. */
const ALLOWED_FLAGS = new Set(["i", "m", "s", "u", "v", "d"]);

const cache = new Map<string, RegExp | null>();

/**
 * Compiles a pattern written by a flow author; `undefined` when it is not a valid regex.
 * @example compileUserRegex("^\\d+$")?.test("42") // true
 */
export function compileUserRegex(pattern: string, flags = ""): RegExp | undefined {
  const key = `${flags}/${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const compiled = buildRegex(pattern, flags);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, compiled ?? null);
  return compiled;
}

/** Tests an author's pattern against at most the first 4096 characters of `text`; invalid → false. */
export function testUserRegex(pattern: string, text: string, flags = ""): boolean {
  const regex = compileUserRegex(pattern, flags);
  if (regex === undefined) return false;
  return regex.test(text.slice(0, MAX_TESTED_TEXT));
}

function buildRegex(pattern: string, flags: string): RegExp | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return undefined;
  if ([...flags].some((flag) => !ALLOWED_FLAGS.has(flag))) return undefined;
  try {
    return new RegExp(pattern, flags);
  } catch {
    return undefined;
  }
}
