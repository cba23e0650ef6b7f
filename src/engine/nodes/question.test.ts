import { describe, expect, it } from "vitest";
import { createHarness, graphOf } from "../../../test/support/engine-harness.ts";

const options = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `o${i + 1}`,
    title: `Option ${i + 1}`,
    description: `About ${i + 1}`,
  }));

const questionFlow = (data: Record<string, unknown>, edges: Array<[string, string, string?]> = []) =>
  graphOf(
    [
      ["s", "start", { keywords: ["hi"] }],
      [
        "q",
        "question",
        { body: "Pick one, {{contact.name}}", options: options(3), saveAnswerTo: "choice", ...data },
      ],
      ["a", "text", { text: "A" }],
      ["b", "text", { text: "B" }],
      ["d", "text", { text: "default" }],
      ["bad", "text", { text: "invalid" }],
    ],
    [["s", "q"], ...edges],
  );

describe("question: how it is sent", () => {
  it.each([
    [3, undefined, "buttons"],
    [2, "list", "list"],
    [4, undefined, "list"],
    [12, "buttons", "list"],
  ])("%i options with type %s → %s", (count, type, expected) => {
    const run = createHarness(questionFlow({ options: options(count), ...(type ? { type } : {}) }));
    run.start();
    const [message] = run.messages();
    expect(message?.type).toBe(expected);
    expect(run.state.status).toBe("waiting_for_input");
  });

  it("list rows keep descriptions and the button text", () => {
    const run = createHarness(
      questionFlow({ options: options(4), buttonText: "Menu", header: "H {{contact.name}}" }),
    );
    run.start();
    expect(run.messages()[0]).toMatchObject({
      type: "list",
      body: "Pick one, Ana",
      header: "H Ana",
      buttonText: "Menu",
      rows: expect.arrayContaining([{ id: "o4", title: "Option 4", description: "About 4" }]),
    });
  });

  it("a 'More options' reply sends the requested page and keeps waiting", () => {
    const run = createHarness(questionFlow({ options: options(25) }));
    run.start();
    run.reply("More options", "__more__:2");
    expect(run.messages()).toEqual([expect.objectContaining({ type: "list", page: 2 })]);
    expect(run.state.waiting).toMatchObject({ nodeId: "q", attempts: 0 });
  });
});

describe("question: matching a reply", () => {
  const edges: Array<[string, string, string?]> = [
    ["q", "a", "option-o1"],
    ["q", "b", "option-o2"],
  ];
  it.each([
    ["by option id", "whatever", "o2", "B"],
    ["by title, any case", "  option 1 ", undefined, "A"],
    ["by number", "2", undefined, "B"],
  ])("%s", (_label, text, optionId, expected) => {
    const run = createHarness(questionFlow({}, edges));
    run.start();
    run.reply(text, optionId);
    expect(run.texts()).toEqual([expected]);
  });

  it("stores the title under saveAnswerTo and the id under <var>_id", () => {
    const run = createHarness(questionFlow({}, edges));
    run.start();
    run.reply("2");
    expect(run.state.variables).toMatchObject({ choice: "Option 2", choice_id: "o2" });
  });

  it("a matched option without its own edge follows the default edge", () => {
    const run = createHarness(questionFlow({}, [...edges, ["q", "d"]]));
    run.start();
    run.reply("3");
    expect(run.texts()).toEqual(["default"]);
  });

  it("an unmatched reply follows the default edge and keeps the raw text", () => {
    const run = createHarness(questionFlow({}, [...edges, ["q", "d"]]));
    run.start();
    run.reply("something else");
    expect(run.texts()).toEqual(["default"]);
    expect(run.state.variables.choice).toBe("something else");
  });
});

describe("question: retries", () => {
  it("re-asks with retryMessage, then follows `invalid` after maxAttempts wrong answers", () => {
    const run = createHarness(
      questionFlow({ retryMessage: "Use the buttons please", maxAttempts: 2 }, [["q", "bad", "invalid"]]),
    );
    run.start();
    run.reply("nope");
    expect(run.texts()).toEqual(["Use the buttons please", "Pick one, Ana"]);
    expect(run.state.waiting?.attempts).toBe(1);
    run.reply("still nope");
    expect(run.texts()).toEqual(["invalid"]);
    expect(run.state.status).toBe("completed");
  });

  it("ends after the default of 3 wrong answers when there is no invalid edge", () => {
    const run = createHarness(questionFlow({}));
    run.start();
    run.reply("x");
    expect(run.texts()[0]).toBe("Please choose one of the options.");
    run.reply("y");
    expect(run.state.status).toBe("waiting_for_input");
    run.reply("z");
    expect(run.state.status).toBe("completed");
  });
});
