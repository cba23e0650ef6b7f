/** The body rows of a list table: a loading row, an empty-list row, or one row per item. */
import type { ReactNode } from "react";

interface TableRowsProps<T> {
  /** Null while nothing is loaded (or loading failed): no row is shown but the loading one. */
  rows: readonly T[] | null;
  loading: boolean;
  /** How many columns the loading and empty rows span. */
  columns: number;
  loadingText: string;
  /** Shown when the loaded list is empty; nothing when unset. */
  emptyText?: ReactNode;
  children: (row: T) => ReactNode;
}

export function TableRows<T>({
  rows,
  loading,
  columns,
  loadingText,
  emptyText,
  children,
}: TableRowsProps<T>) {
  if (loading && (rows === null || rows.length === 0)) {
    return (
      <tr>
        <td colSpan={columns} className="muted" role="status">
          {loadingText}
        </td>
      </tr>
    );
  }
  if (rows === null) return null;
  if (rows.length === 0) {
    return emptyText === undefined ? null : (
      <tr>
        <td colSpan={columns} className="muted">
          {emptyText}
        </td>
      </tr>
    );
  }
  return <>{rows.map(children)}</>;
}
