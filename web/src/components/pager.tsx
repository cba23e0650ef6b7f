/** Previous / next under a paged list, with the page number and how many rows there are in all. */
import type { Page } from "../api.ts";

interface PagerProps {
  page: number;
  /** The page shown; null while the first one loads. */
  list: Page<unknown> | null;
  /** What the rows are, singular and plural: ["flow", "flows"]. */
  noun: readonly [string, string];
  onPage(page: number): void;
}

export function Pager({ page, list, noun, onPage }: PagerProps) {
  return (
    <div className="pager">
      <button type="button" className="btn small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span className="muted small">
        Page {page}
        {list ? ` · ${list.count} ${list.count === 1 ? noun[0] : noun[1]}` : ""}
      </span>
      <button type="button" className="btn small" disabled={!list?.next} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </div>
  );
}
