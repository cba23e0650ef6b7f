/**
 * Splits text that is longer than a platform allows into parts, preferring a paragraph break, then a
 * sentence end, then a space, so a reader sees natural pieces rather than words cut in half.
 */

const SENTENCE_END = /[.!?…](?=\s)|\n/g;

/**
 * Cuts `text` into parts of at most `limit` UTF-16 units; text that fits comes back as one part.
 * @example splitText("One. Two.", 5) // ["One.", "Two."]
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const part = rest.slice(0, cut).trimEnd();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Where to end the next part: the last good boundary in the window, never in the first quarter. */
function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const minimum = Math.floor(limit / 4);
  const paragraph = window.lastIndexOf("\n\n", limit);
  if (paragraph >= minimum) return paragraph;
  let sentence = -1;
  for (const match of window.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (end <= limit) sentence = end;
  }
  if (sentence >= minimum) return sentence;
  const space = window.lastIndexOf(" ", limit);
  if (space >= minimum) return space;
  return avoidSplitSurrogate(text, limit);
}

/** A hard cut must not separate the two halves of an emoji. */
function avoidSplitSurrogate(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}
