import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createHarness, graphOf, T0 } from "../../test/support/engine-harness.ts";
import { createInitialState } from "../core/execution.ts";
import { advance } from "./advance.ts";
import { compileFlow } from "./compile.ts";

const fixture: unknown = JSON.parse(
  readFileSync(new URL("../../test/fixtures/seed000-support-flow.json", import.meta.url), "utf8"),
);

const greeting = graphOf(
  [
    ["s", "start", { keywords: ["Hello", "hi "] }],
    ["t", "text", { text: "Hi {{ contact.name }} from {{contact.city}}, {{unknown}}" }],
  ],
  [["s", "t"]],
);

describe("start", () => {
  it.each([
    ["hello", true],
    ["  HELLO ", true],
    ["Hi", true],
    ["hey", false],
  ])("keyword %j matches: %s", (text, matches) => {
    const run = createHarness(greeting);
    run.start({ kind: "keyword", text });
    expect(run.state.status).toBe(matches ? "completed" : "failed");
    if (!matches) expect(run.state.error?.code).toBe("ENGINE_NO_START_NODE");
  });

  it("interpolates nested and reserved variables and keeps unknown ones as written", () => {
    const run = createHarness(greeting);
    run.start({ text: "hello" });
    expect(run.texts()).toEqual(["Hi Ana from Madrid, {{unknown}}"]);
    expect(run.state.variables.lastMessage).toBe("hello");
  });

  it("API triggers need no keyword and bring variables", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["x"] }],
          ["t", "text", { text: "Order {{order.id}}" }],
        ],
        [["s", "t"]],
      ),
    );
    run.start({ kind: "api", text: undefined, variables: { order: { id: 42 } } });
    expect(run.texts()).toEqual(["Order 42"]);
    expect(run.ofType("complete")).toEqual([{ type: "complete", outcome: "completed" }]);
  });

  it("a second start event on a running execution changes nothing", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["q", "question_input", { question: "?" }],
        ],
        [["s", "q"]],
      ),
    );
    run.start();
    const before = run.state;
    expect(run.start()).toEqual([]);
    expect(run.state).toEqual(before);
  });
});

describe("the seed 000 builder fixture", () => {
  it("runs start → text → question → condition → question_input → media → action end to end", () => {
    const run = createHarness(fixture);
    run.start({ text: "Support" });
    expect(run.messages()).toEqual([
      { type: "text", text: "Hi Ana! Welcome to support." },
      {
        type: "buttons",
        body: "What do you need help with?",
        header: "Support",
        footer: "Choose one",
        buttons: [
          { id: "opt-billing", title: "Billing" },
          { id: "opt-tech", title: "Technical issue" },
          { id: "opt-other", title: "Something else" },
        ],
      },
    ]);
    expect(run.state.status).toBe("waiting_for_input");

    run.reply("Billing", "opt-billing");
    expect(run.state.variables.topic).toBe("Billing");
    expect(run.texts()).toEqual(["What is the e-mail on your account?"]);

    run.reply("not an email");
    expect(run.texts()).toEqual([
      "That does not look like an e-mail address. Please try again.",
      "What is the e-mail on your account?",
    ]);

    run.reply(" ana@Example.COM ");
    expect(run.messages()).toEqual([
      {
        type: "media",
        mediaType: "document",
        url: "https://example.com/billing-guide.pdf",
        caption: "Our billing guide, Ana. We will write to ana@example.com.",
        filename: "billing-guide.pdf",
      },
    ]);
    expect(run.state.status).toBe("completed");
    expect(run.state.visitedNodes).toEqual([
      "start-1",
      "text-1",
      "question-1",
      "condition-1",
      "question-input-1",
      "media-1",
      "action-1",
    ]);
  });

  it("logs seed 000's actions for every step", () => {
    const run = createHarness(fixture);
    run.start({ text: "help" });
    const actions = run.ofType("log").map((effect) => `${effect.entry.nodeId}:${effect.entry.action}`);
    expect(actions).toEqual([
      "start-1:entered",
      "start-1:exited",
      "text-1:entered",
      "text-1:sent_message",
      "text-1:exited",
      "question-1:entered",
      "question-1:sent_message",
      "question-1:waiting",
    ]);
  });
});

describe("determinism", () => {
  it("replaying the same events from the same state gives identical states and effects", () => {
    const events = [
      { type: "start", trigger: { kind: "keyword", text: "help" } },
      { type: "input", text: "1" },
      { type: "input", text: "bad" },
      { type: "input", text: "a@b.co" },
    ] as const;
    const replay = () => {
      const run = createHarness(fixture);
      return events.map((event) => {
        const effects = run.send(structuredClone(event) as never);
        return { state: structuredClone(run.state), effects };
      });
    };
    expect(replay()).toEqual(replay());
  });

  it("never mutates the state it is given", () => {
    const flow = compileFlow(fixture);
    const initial = createInitialState();
    const frozen = structuredClone(initial);
    const context = { now: T0, newId: () => "x", contact: { id: "c" } };
    const first = advance(
      flow,
      initial,
      { type: "start", trigger: { kind: "keyword", text: "help" } },
      context,
    );
    expect(initial).toEqual(frozen);
    const snapshot = structuredClone(first.state);
    advance(flow, first.state, { type: "input", text: "Billing" }, context);
    expect(first.state).toEqual(snapshot);
  });

  it("state is JSON-serialisable and versioned", () => {
    const run = createHarness(fixture);
    run.start({ text: "help" });
    expect(JSON.parse(JSON.stringify(run.state))).toEqual(run.state);
    expect(run.state.version).toBe(1);
  });
});

describe("loop guard", () => {
  it("fails a cycle of non-waiting nodes with ENGINE_LOOP_LIMIT and the looping path", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["a", "text", { text: "a" }],
          ["b", "action", { actionType: "set_variable", variableName: "n", value: "1" }],
        ],
        [
          ["s", "a"],
          ["a", "b"],
          ["b", "a"],
        ],
      ),
    );
    run.start();
    expect(run.state.status).toBe("failed");
    expect(run.state.error?.code).toBe("ENGINE_LOOP_LIMIT");
    const path = run.state.error?.path ?? [];
    expect(path).toHaveLength(3);
    expect(new Set(path)).toEqual(new Set(["a", "b"]));
    expect(path[0]).toBe(path[2]);
    expect(run.ofType("send").length).toBeLessThanOrEqual(51);
    expect(run.ofType("fail")).toHaveLength(1);
  });

  it("honours a configured limit", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["a", "text", { text: "a" }],
        ],
        [
          ["s", "a"],
          ["a", "a"],
        ],
      ),
      { loopLimit: 5 },
    );
    run.start();
    expect(run.ofType("send")).toHaveLength(4);
    expect(run.state.error?.message).toContain("More than 5");
  });
});

describe("timeouts", () => {
  const waitingFlow = (
    data: Record<string, unknown> = {},
    settings: Record<string, unknown> = {},
    withTimeoutEdge = false,
  ) =>
    graphOf(
      [
        ["s", "start", { keywords: ["hi"] }],
        ["q", "question_input", { question: "Name?", variableName: "name", ...data }],
        ["done", "text", { text: "Thanks {{name}}" }],
        ["late", "text", { text: "Too late" }],
      ],
      [
        ["s", "q"],
        ["q", "done"],
        ...(withTimeoutEdge ? ([["q", "late", "timeout"]] as Array<[string, string, string]>) : []),
      ],
      settings,
    );

  it.each([
    ["the default of 24 h", {}, {}, 24 * 3600],
    ["the node's timeoutSeconds", { timeoutSeconds: 60 }, {}, 60],
    ["the flow's timeoutSeconds", {}, { timeoutSeconds: 300 }, 300],
    ["the node before the flow", { timeoutSeconds: 30 }, { timeoutSeconds: 300 }, 30],
  ])("schedules %s when waiting starts", (_label, data, settings, seconds) => {
    const run = createHarness(waitingFlow(data, settings));
    run.start();
    const [schedule] = run.ofType("schedule");
    expect(schedule).toMatchObject({ kind: "timeout", nodeId: "q", dueAt: T0 + seconds * 1000 });
    expect(run.state.waiting?.timerId).toBe(schedule?.timerId);
  });

  it("cancels the timer when the answer arrives", () => {
    const run = createHarness(waitingFlow());
    run.start();
    const timerId = run.state.waiting?.timerId;
    run.reply("Ana");
    expect(run.ofType("cancel")).toEqual([{ type: "cancel", timerId }]);
    expect(run.texts()).toEqual(["Thanks Ana"]);
  });

  it("expires the execution when no timeout edge exists", () => {
    const run = createHarness(waitingFlow());
    run.start();
    run.fire();
    expect(run.state.status).toBe("expired");
    expect(run.ofType("complete")).toEqual([{ type: "complete", outcome: "expired" }]);
  });

  it("follows the timeout edge when present", () => {
    const run = createHarness(waitingFlow({}, {}, true));
    run.start();
    run.fire();
    expect(run.texts()).toEqual(["Too late"]);
    expect(run.state.status).toBe("completed");
  });

  it("ignores a stale timer", () => {
    const run = createHarness(waitingFlow());
    run.start();
    const before = structuredClone(run.state);
    expect(run.send({ type: "timer", timerId: "not-this-one" })).toEqual([]);
    expect(run.state).toEqual(before);
  });

  it("a re-ask keeps the original deadline", () => {
    const run = createHarness(waitingFlow({ validation: { type: "number" } }));
    run.start();
    const timerId = run.state.waiting?.timerId;
    run.reply("abc");
    expect(run.ofType("schedule")).toEqual([]);
    expect(run.ofType("cancel")).toEqual([]);
    expect(run.state.waiting?.timerId).toBe(timerId);
  });
});

describe("commands", () => {
  const flow = graphOf(
    [
      ["s", "start", { keywords: ["hi"] }],
      ["q1", "question_input", { question: "Name?", variableName: "name" }],
      ["q2", "question_input", { question: "Age?", variableName: "age" }],
    ],
    [
      ["s", "q1"],
      ["q1", "q2"],
    ],
    { helpText: "Answer the questions, or send /reset." },
  );

  it("/help sends the flow's help text and keeps waiting", () => {
    const run = createHarness(flow);
    run.start();
    run.reply("/help");
    expect(run.texts()).toEqual(["Answer the questions, or send /reset."]);
    expect(run.state.waiting?.nodeId).toBe("q1");
  });

  it("/reset ends the execution and clears variables", () => {
    const run = createHarness(flow);
    run.start();
    run.reply("Ana");
    const timerId = run.state.waiting?.timerId;
    run.reply("/reset");
    expect(run.state.status).toBe("cancelled");
    expect(run.state.variables).toEqual({});
    expect(run.ofType("cancel")).toEqual([{ type: "cancel", timerId }]);
    expect(run.ofType("complete")).toEqual([{ type: "complete", outcome: "reset" }]);
  });

  it("/start restarts the flow from its start node", () => {
    const run = createHarness(flow);
    run.start();
    run.reply("Ana");
    run.reply("/START@parley_bot");
    expect(run.texts()).toEqual(["Name?"]);
    expect(run.state.variables.name).toBeUndefined();
    expect(run.state.waiting?.nodeId).toBe("q1");
  });

  it("a flow can switch a command off", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["q", "question_input", { question: "?", variableName: "v" }],
        ],
        [["s", "q"]],
        {
          commands: { help: false },
        },
      ),
    );
    run.start();
    run.reply("/help");
    expect(run.state.variables.v).toBe("/help");
  });
});

describe("robustness", () => {
  it("fails clearly when a node's data is invalid", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["q", "question", { options: "nope" }],
        ],
        [["s", "q"]],
      ),
    );
    run.start();
    expect(run.state.error).toMatchObject({ code: "ENGINE_INVALID_NODE", nodeId: "q" });
  });

  it("fails clearly on an unknown node type", () => {
    const run = createHarness(
      graphOf(
        [
          ["s", "start", { keywords: ["hi"] }],
          ["x", "teleport"],
        ],
        [["s", "x"]],
      ),
    );
    run.start();
    expect(run.state.error?.message).toContain('unknown node type "teleport"');
  });

  it("rejects a graph whose structure is broken, listing every problem", () => {
    expect(() => compileFlow({ nodes: [{ id: "" }], edges: "x" })).toThrowError(
      expect.objectContaining({ code: "FLOW_INVALID" }),
    );
  });

  it("ignores input after the execution finished", () => {
    const run = createHarness(greeting);
    run.start({ text: "hi" });
    expect(run.reply("again")).toEqual([]);
  });
});
