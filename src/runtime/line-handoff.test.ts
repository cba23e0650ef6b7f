import { describe, expect, it } from "vitest";
import { createLineHandoff } from "./line-handoff.ts";

const row = (id: number) => ({ id });

describe("line handoff", () => {
  it("is not trusted until a read of the store found the whole backlog", () => {
    const handoff = createLineHandoff<{ id: number }>();
    handoff.handOver("c", [row(3)]);
    expect(handoff.take("c")).toBeNull();
    handoff.synced("c", 2, handoff.mark("c"));
    expect(handoff.take("c")).toEqual([row(3)]);
  });

  it("keeps rows in id order, without duplicates, and drops what is done", () => {
    const handoff = createLineHandoff<{ id: number }>();
    handoff.synced("c", 0, handoff.mark("c"));
    handoff.handOver("c", [row(5), row(2)]);
    handoff.handOver("c", [row(4), row(5)]);
    expect(handoff.take("c")).toEqual([row(2), row(4), row(5)]);
    handoff.done("c", 4);
    expect(handoff.take("c")).toEqual([row(5)]);
  });

  it("drops rows the read already covered when it syncs", () => {
    const handoff = createLineHandoff<{ id: number }>();
    handoff.handOver("c", [row(1), row(2), row(3)]);
    handoff.synced("c", 2, handoff.mark("c"));
    expect(handoff.take("c")).toEqual([row(3)]);
  });

  it("ignores a read that a forget overtook, so a row written behind its back is not missed", () => {
    const handoff = createLineHandoff<{ id: number }>();
    const mark = handoff.mark("c");
    handoff.forget("c");
    handoff.synced("c", 7, mark);
    expect(handoff.take("c")).toBeNull();
  });

  it("falls back to the store when a backlog outgrows the buffer or the contact is evicted", () => {
    const handoff = createLineHandoff<{ id: number }>({ maxRows: 2, maxContacts: 1 });
    handoff.synced("a", 0, handoff.mark("a"));
    handoff.handOver("a", [row(1), row(2), row(3)]);
    expect(handoff.take("a")).toBeNull();
    handoff.synced("a", 3, handoff.mark("a"));
    handoff.synced("b", 0, handoff.mark("b"));
    expect(handoff.take("a")).toBeNull();
    expect(handoff.take("b")).toEqual([]);
  });
});
