import { describe, expect, it } from "vitest";
import { timeOrderedId } from "./ids.ts";

describe("timeOrderedId", () => {
  it("is a version 7 UUID that starts with the time", () => {
    const at = Date.UTC(2026, 10, 21, 9, 30);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it("sorts by time, and differs within one millisecond", () => {
    const ids = [1_000, 2_000, 1_700_000_000_000, 1_700_000_000_001].map((at) => timeOrderedId(at));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(5)));
    expect(same.size).toBe(1000);
  });
});
