import { describe, expect, it } from "vitest";
import { createHarness, graphOf } from "../../../test/support/engine-harness.ts";

const flow = (data: Record<string, unknown>, invalidEdge = false) =>
  graphOf(
    [
      ["s", "start", { keywords: ["hi"] }],
      ["q", "question_input", { question: "Your answer?", variableName: "answer", ...data }],
      ["ok", "text", { text: "Got {{answer}}" }],
      ["bad", "text", { text: "Giving up" }],
    ],
    [
      ["s", "q"],
      ["q", "ok"],
      ...(invalidEdge ? ([["q", "bad", "invalid"]] as Array<[string, string, string]>) : []),
    ],
  );

describe("question_input", () => {
  it.each([
    ["text", { type: "text" }, "  hello  ", "hello"],
    ["number", { type: "number" }, "42,5", 42.5],
    ["email", { type: "email" }, "Ana@Example.com", "Ana@example.com"],
    ["phone", { type: "phone" }, "+34 600-111-222", "+34600111222"],
    ["date", { type: "date" }, "31/12/2026", "2026-12-31"],
    ["regex", { type: "regex", pattern: "^[A-Z]{3}-\\d{2}$" }, "ABC-12", "ABC-12"],
    ["any", { type: "any" }, "whatever", "whatever"],
  ])("stores a cleaned %s answer", (_label, validation, text, stored) => {
    const run = createHarness(flow({ validation }));
    run.start();
    run.reply(text);
    expect(run.state.variables.answer).toEqual(stored);
    expect(run.state.status).toBe("completed");
  });

  it("answers the errorMessage, re-asks, and follows `invalid` after maxAttempts", () => {
    const run = createHarness(
      flow(
        { validation: { type: "number", min: 1, max: 5 }, errorMessage: "1 to 5 please", maxAttempts: 2 },
        true,
      ),
    );
    run.start();
    run.reply("9");
    expect(run.texts()).toEqual(["1 to 5 please", "Your answer?"]);
    run.reply("zero");
    expect(run.texts()).toEqual(["Giving up"]);
    expect(run.state.variables.answer).toBeUndefined();
  });

  it("uses the validator's own reason when no errorMessage is set", () => {
    const run = createHarness(flow({ validation: { type: "email" } }));
    run.start();
    run.reply("nope");
    expect(run.texts()[0]?.length).toBeGreaterThan(5);
    expect(run.texts()[1]).toBe("Your answer?");
  });

  it("falls back to saveAnswerTo when variableName is missing", () => {
    const graph = graphOf(
      [
        ["s", "start", { keywords: ["hi"] }],
        ["q", "question_input", { question: "?", saveAnswerTo: "city" }],
      ],
      [["s", "q"]],
    );
    const run = createHarness(graph);
    run.start();
    run.reply("Lisbon");
    expect(run.state.variables.city).toBe("Lisbon");
  });
});
