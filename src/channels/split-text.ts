/**
 * Splits text longer than a platform allows into parts at the most natural boundary: a paragraph
 * break, then a sentence end, then a space, and only then a hard cut that never splits a surrogate
 * pair. Shared by every channel so a long message reads the same everywhere.
 */

/**
 * Splits text into chunks of at most `limit` units, preferring a paragraph break, then a sentence
 * end, then a space, and only then a hard cut. Whitespace-only text yields no chunks.
 * @example splitText("One.\n\nTwo.", 6) // ["One.", "Two."]
 */
export function splitText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk !== "") chunks.push(chunk);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== "") chunks.push(rest);
  return chunks;
}

/** Index at which to end the first chunk of `text` (length > limit). */
function findCut(text: string, limit: number): number {
  const head = text.slice(0, limit + 1);
  // A break in the first half would leave a tiny chunk; only then fall back to weaker boundaries.
  const minimum = Math.floor(limit / 2);
  const paragraph = lastMatchEnd(head, /\n[ \t]*\n/g);
  if (paragraph >= minimum) return paragraph;
  const sentence = lastMatchEnd(head, /[.!?…。](?=\s)/g);
  if (sentence >= minimum && sentence <= limit) return sentence;
  const space = head.search(/\s\S*$/);
  if (space > 0) return space;
  return safeSlice(text, limit).length;
}

function lastMatchEnd(text: string, pattern: RegExp): number {
  let end = -1;
  for (const match of text.matchAll(pattern)) end = match.index + match[0].length;
  return end;
}

/** Slices to at most `length` units without leaving half of a surrogate pair at the end. */
export function safeSlice(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
  return text.slice(0, Math.max(0, end));
}
