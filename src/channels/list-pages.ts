/**
 * Pages a long list the way WhatsApp must (≤ 10 rows per message): 9 rows plus a "More options" row
 * whose id asks the engine for the next page. Telegram and the web simulator reuse it so every channel
 * shows the same pages.
 */
import type { ListRow } from "../core/messages.ts";
import { MORE_OPTIONS_PREFIX } from "../core/messages.ts";

export const MAX_LIST_ROWS = 10;
export const LIST_PAGE_SIZE = 9;
export const MORE_OPTIONS_TITLE = "More options";

export interface ListPage {
  /** The rows to show, the "More options" row included when another page follows. */
  rows: ListRow[];
  /** The page shown (0-based), clamped to the pages that exist. */
  page: number;
  pageCount: number;
}

/**
 * Picks the rows of one page, as WhatsApp's renderer does: all rows when they fit in one message;
 * otherwise each page starts at page × 9 and shows 9 rows plus "More options", except a page with
 * 10 rows or fewer left, which shows them all. Pages past the end show the last page.
 * @example selectListPage(twelveRows, 0).rows.at(-1)?.id // "__more__:1"
 */
export function selectListPage(rows: readonly ListRow[], page = 0): ListPage {
  if (rows.length <= MAX_LIST_ROWS) return { rows: [...rows], page: 0, pageCount: 1 };
  const pageCount = 1 + Math.ceil((rows.length - MAX_LIST_ROWS) / LIST_PAGE_SIZE);
  const shown = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  const start = shown * LIST_PAGE_SIZE;
  if (rows.length - start <= MAX_LIST_ROWS) return { rows: rows.slice(start), page: shown, pageCount };
  const pageRows = rows.slice(start, start + LIST_PAGE_SIZE);
  pageRows.push({ id: `${MORE_OPTIONS_PREFIX}${shown + 1}`, title: MORE_OPTIONS_TITLE });
  return { rows: pageRows, page: shown, pageCount };
}
