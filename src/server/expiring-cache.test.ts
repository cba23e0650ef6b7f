import { describe, expect, it } from "vitest";
import { createExpiringCache } from "./expiring-cache.ts";

function setUp(ttlMs = 1_000, maxEntries?: number) {
  let clock = 0;
  const loads: string[] = [];
  const values = new Map<string, string | null>();
  const cache = createExpiringCache<string>({
    ttlMs,
    now: () => clock,
    ...(maxEntries === undefined ? {} : { maxEntries }),
  });
  const load = async (key: string) => {
    loads.push(key);
    return values.has(key) ? (values.get(key) ?? null) : null;
  };
  return {
    cache,
    loads,
    values,
    load,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("createExpiringCache", () => {
  it("reuses a found value until the ttl has passed, then loads it again", async () => {
    const { cache, loads, values, load, advance } = setUp(1_000);
    values.set("a", "one");
    expect(await cache.get("a", load)).toBe("one");
    values.set("a", "two");
    advance(999);
    expect(await cache.get("a", load)).toBe("one");
    advance(1);
    expect(await cache.get("a", load)).toBe("two");
    expect(loads).toEqual(["a", "a"]);
  });

  it("sees a deleted value once the ttl has passed", async () => {
    const { cache, values, load, advance } = setUp(1_000);
    values.set("a", "one");
    await cache.get("a", load);
    values.delete("a");
    advance(1_000);
    expect(await cache.get("a", load)).toBeNull();
  });

  it("does not keep a miss, so a value that appears is found at once", async () => {
    const { cache, loads, values, load } = setUp();
    expect(await cache.get("a", load)).toBeNull();
    values.set("a", "one");
    expect(await cache.get("a", load)).toBe("one");
    expect(loads).toEqual(["a", "a"]);
  });

  it("shares one load between concurrent callers", async () => {
    const { cache, loads, values, load } = setUp();
    values.set("a", "one");
    const answers = await Promise.all([cache.get("a", load), cache.get("a", load)]);
    expect(answers).toEqual(["one", "one"]);
    expect(loads).toEqual(["a"]);
  });

  it("does not keep a failed load", async () => {
    const { cache, values, load } = setUp();
    await expect(cache.get("a", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    values.set("a", "one");
    expect(await cache.get("a", load)).toBe("one");
  });

  it("keeps at most maxEntries keys, dropping the oldest", async () => {
    const { cache, loads, values, load } = setUp(1_000, 2);
    for (const key of ["a", "b", "c"]) values.set(key, key);
    for (const key of ["a", "b", "c"]) await cache.get(key, load);
    await cache.get("c", load);
    await cache.get("a", load);
    expect(loads).toEqual(["a", "b", "c", "a"]);
  });
});
