import { describe, expect, it } from "vitest";
import { createHarness, graphOf } from "../../../test/support/engine-harness.ts";

const flow = (
  data: Record<string, unknown>,
  edges: Array<[string, string, string?]> = [
    ["c", "yes", "true"],
    ["c", "no", "false"],
  ],
) =>
  graphOf(
    [
      ["s", "start", { keywords: ["hi"] }],
      ["c", "condition", data],
      ["yes", "text", { text: "yes" }],
      ["no", "text", { text: "no" }],
    ],
    [["s", "c"], ...edges],
  );

describe("condition node", () => {
  it.each([
    [
      "rules AND, all true",
      {
        rules: [
          { field: "age", operator: "greater_or_equal", value: 18 },
          { field: "city", operator: "equals", value: "MADRID" },
        ],
      },
      "yes",
    ],
    [
      "rules AND, one false",
      {
        rules: [
          { field: "age", operator: "greater_than", value: 30 },
          { field: "city", operator: "equals", value: "madrid" },
        ],
      },
      "no",
    ],
    [
      "rules OR, one true",
      {
        logic: "OR",
        rules: [
          { field: "age", operator: "greater_than", value: 30 },
          { field: "city", operator: "contains", value: "adr" },
        ],
      },
      "yes",
    ],
    ["no rules (seed 000: true)", { rules: [] }, "yes"],
    ["expression", { expression: "age >= 18 and city in [Madrid, Paris]" }, "yes"],
    ["expression false", { expression: "not (age >= 18)" }, "no"],
    ["contact attribute", { rules: [{ field: "contact.city", operator: "equals", value: "madrid" }] }, "yes"],
  ])("%s", (_label, data, expected) => {
    const run = createHarness(flow(data));
    run.send({ type: "start", trigger: { kind: "api", variables: { age: "25", city: "Madrid" } } });
    expect(run.texts()).toEqual([expected]);
    expect(run.ofType("log").some((effect) => effect.entry.action === "condition")).toBe(true);
  });

  it("a missing branch ends the flow instead of taking the other branch", () => {
    const run = createHarness(flow({ rules: [{ field: "x", operator: "exists" }] }, [["c", "yes", "true"]]));
    run.start();
    expect(run.texts()).toEqual([]);
    expect(run.state.status).toBe("completed");
  });

  it("an expression that does not parse fails the execution with a clear error", () => {
    const run = createHarness(flow({ expression: "age >=" }));
    run.start();
    expect(run.state.error).toMatchObject({ code: "ENGINE_INVALID_NODE", nodeId: "c" });
  });

  it("never evaluates code in an expression", () => {
    const run = createHarness(flow({ expression: 'constructor.constructor("return process")()' }));
    run.start();
    expect(run.state.status).toBe("failed");
    expect(run.ofType("send")).toEqual([]);
  });
});
