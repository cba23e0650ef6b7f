import { describe, expect, it } from "vitest";
import { createHarness, graphOf, T0 } from "../../../test/support/engine-harness.ts";

describe("text and media", () => {
  it("media sends by URL with an interpolated caption and continues", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          [
            "m",
            "media",
            {
              mediaType: "image",
              mediaUrl: "https://cdn.example/{{contact.id}}.png",
              caption: "For {{contact.name}}",
            },
          ],
          ["t", "text", { text: "after" }],
        ],
        [
          ["s", "m"],
          ["m", "t"],
        ],
      ),
    );
    run.start();
    expect(run.messages()).toEqual([
      { type: "media", mediaType: "image", url: "https://cdn.example/contact-1.png", caption: "For Ana" },
      { type: "text", text: "after" },
    ]);
  });

  it("media without a URL sends nothing and continues", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["m", "media", {}],
          ["t", "text", { text: "after" }],
        ],
        [
          ["s", "m"],
          ["m", "t"],
        ],
      ),
    );
    run.start();
    expect(run.texts()).toEqual(["after"]);
  });

  it("a node whose builder named its only handle still continues", () => {
    const graph = {
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
        { id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "one" } },
        { id: "u", type: "text", position: { x: 0, y: 0 }, data: { text: "two" } },
      ],
      edges: [
        { id: "e1", source: "s", target: "t", sourceHandle: "a" },
        { id: "e2", source: "t", target: "u", sourceHandle: "bottom" },
      ],
    };
    const run = createHarness(graph);
    run.start();
    expect(run.texts()).toEqual(["one", "two"]);
  });
});

describe("wait", () => {
  const flow = (data: Record<string, unknown>) =>
    graphOf(
      [
        ["s", "start", { keywords: ["hi"] }],
        ["w", "wait", data],
        ["t", "text", { text: "later" }],
      ],
      [
        ["s", "w"],
        ["w", "t"],
      ],
    );

  it.each([
    [{ duration: 30 }, 30_000],
    [{ duration: 2, unit: "minutes" }, 120_000],
    [{ duration: 1, unit: "days" }, 86_400_000],
  ])("%j schedules a durable timer %i ms ahead", (data, ms) => {
    const run = createHarness(flow(data));
    run.start();
    expect(run.ofType("schedule")).toEqual([
      { type: "schedule", timerId: run.state.waiting?.timerId, kind: "wait", nodeId: "w", dueAt: T0 + ms },
    ]);
    expect(run.ofType("send")).toEqual([]);
  });

  it("continues when its timer fires, and input meanwhile only updates lastMessage", () => {
    const run = createHarness(flow({ duration: 5 }));
    run.start();
    run.reply("are you there?");
    expect(run.ofType("send")).toEqual([]);
    expect(run.state.variables.lastMessage).toBe("are you there?");
    run.fire();
    expect(run.texts()).toEqual(["later"]);
    expect(run.ofType("cancel")).toEqual([]);
    expect(run.state.status).toBe("completed");
  });
});
