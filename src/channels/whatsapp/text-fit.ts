/**
 * Fits text into WhatsApp's length limits: cuts titles with an ellipsis and keeps cut titles unique.
 * Lengths count UTF-16 units, which never undercounts what Meta measures. Splitting long text is
 * shared by every channel (../split-text.ts).
 */

import { safeSlice } from "../split-text.ts";

export { splitText } from "../split-text.ts";

const ELLIPSIS = "…";

/** Cuts text to at most `limit` units, ending in "…" when something was removed. */
export function cutText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${safeSlice(text, limit - ELLIPSIS.length).trimEnd()}${ELLIPSIS}`;
}

/** Cuts each title to `limit` and numbers duplicates ("Yes", "Yes 2") so every title is unique. */
export function cutUniqueTitles(titles: string[], limit: number): string[] {
  const seen = new Set<string>();
  return titles.map((title) => {
    let candidate = cutText(title.trim(), limit);
    for (let n = 2; seen.has(candidate); n++) {
      const suffix = ` ${n}`;
      candidate = `${cutText(title.trim(), limit - suffix.length)}${suffix}`;
    }
    seen.add(candidate);
    return candidate;
  });
}
