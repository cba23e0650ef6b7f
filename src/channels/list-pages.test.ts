import { describe, expect, it } from "vitest";
import type { ListRow } from "../core/messages.ts";
import { selectListPage } from "./list-pages.ts";

function makeRows(count: number): ListRow[] {
  return Array.from({ length: count }, (_, i) => ({ id: `r${i + 1}`, title: `Row ${i + 1}` }));
}

describe("selectListPage", () => {
  it.each([
    { count: 3, page: 0, ids: ["r1", "r2", "r3"], shown: 0, pageCount: 1 },
    { count: 10, page: 0, ids: makeRows(10).map((r) => r.id), shown: 0, pageCount: 1 },
    { count: 10, page: 4, ids: makeRows(10).map((r) => r.id), shown: 0, pageCount: 1 },
    {
      count: 12,
      page: 0,
      ids: [...makeRows(9).map((r) => r.id), "__more__:1"],
      shown: 0,
      pageCount: 2,
    },
    { count: 12, page: 1, ids: ["r10", "r11", "r12"], shown: 1, pageCount: 2 },
    { count: 12, page: 7, ids: ["r10", "r11", "r12"], shown: 1, pageCount: 2 },
    { count: 12, page: -3, ids: [...makeRows(9).map((r) => r.id), "__more__:1"], shown: 0, pageCount: 2 },
    {
      count: 19,
      page: 1,
      ids: makeRows(19)
        .slice(9)
        .map((r) => r.id),
      shown: 1,
      pageCount: 2,
    },
    { count: 20, page: 2, ids: ["r19", "r20"], shown: 2, pageCount: 3 },
    {
      count: 20,
      page: 1,
      ids: [
        ...makeRows(18)
          .slice(9)
          .map((r) => r.id),
        "__more__:2",
      ],
      shown: 1,
      pageCount: 3,
    },
  ])("$count rows, page $page", ({ count, page, ids, shown, pageCount }) => {
    const result = selectListPage(makeRows(count), page);
    expect(result.rows.map((r) => r.id)).toEqual(ids);
    expect(result.page).toBe(shown);
    expect(result.pageCount).toBe(pageCount);
    expect(result.rows.length).toBeLessThanOrEqual(10);
  });

  it("titles the paging row 'More options'", () => {
    expect(selectListPage(makeRows(11)).rows.at(-1)).toEqual({ id: "__more__:1", title: "More options" });
  });
});
