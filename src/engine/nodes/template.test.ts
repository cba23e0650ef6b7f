import { describe, expect, it } from "vitest";
import { createHarness, graphOf } from "../../../test/support/engine-harness.ts";

const nodes: Array<[string, string, Record<string, unknown>?]> = [
  ["s", "start", { keywords: ["hi"] }],
  [
    "tpl",
    "template",
    {
      template_name: "order_update",
      language: "es",
      params: ["{{contact.name}}", "#{{order}}"],
      buttons: ["Track order", "Talk to us"],
      saveAnswerTo: "choice",
    },
  ],
  ["track", "text", { text: "Tracking" }],
  ["talk", "text", { text: "Talking" }],
  ["other", "text", { text: "Other" }],
];

describe("template node", () => {
  it("sends the template with interpolated parameters and waits for a quick reply", () => {
    const run = createHarness(graphOf(nodes, [["s", "tpl"]]));
    run.send({ type: "start", trigger: { kind: "api", variables: { order: 7 } } });
    expect(run.messages()).toEqual([
      {
        type: "template",
        name: "order_update",
        language: "es",
        params: ["Ana", "#7"],
        buttons: ["Track order", "Talk to us"],
      },
    ]);
    expect(run.state.status).toBe("waiting_for_input");
  });

  it("follows `button-{index}` for a quick-reply payload", () => {
    const run = createHarness(
      graphOf(nodes, [
        ["s", "tpl"],
        ["tpl", "track", "button-0"],
        ["tpl", "talk", "button-1"],
      ]),
    );
    run.start();
    run.reply("Talk to us", "button-1");
    expect(run.texts()).toEqual(["Talking"]);
    expect(run.state.variables.choice).toBe("Talk to us");
  });

  it.each([
    ["at the edge's top level", { trigger: "button_click", trigger_value: "Track Order" }],
    ["in edge.data", { data: { trigger: "button_click", trigger_value: "track order" } }],
  ])("follows seed 001's button_click edge with trigger_value %s", (_label, extra) => {
    const graph = graphOf(nodes, [["s", "tpl"]]) as { edges: unknown[] };
    graph.edges.push({ id: "t1", source: "tpl", target: "track", ...extra });
    graph.edges.push({
      id: "t2",
      source: "tpl",
      target: "talk",
      trigger: "button_click",
      trigger_value: "Talk to us",
    });
    const run = createHarness(graph);
    run.start();
    run.reply("Track order");
    expect(run.texts()).toEqual(["Tracking"]);
  });

  it("anything else follows the default edge", () => {
    const run = createHarness(
      graphOf(nodes, [
        ["s", "tpl"],
        ["tpl", "track", "button-0"],
        ["tpl", "other"],
      ]),
    );
    run.start();
    run.reply("hello?");
    expect(run.texts()).toEqual(["Other"]);
  });

  it("a template without buttons continues at once", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["tpl", "template", { templateName: "welcome" }],
          ["t", "text", { text: "next" }],
        ],
        [
          ["s", "tpl"],
          ["tpl", "t"],
        ],
      ),
    );
    run.start();
    expect(run.messages()).toEqual([
      { type: "template", name: "welcome", language: "en_US", params: [] },
      { type: "text", text: "next" },
    ]);
  });
});
