import { describe, expect, it } from "vitest";
import { createHarness, graphOf, T0 } from "../../../test/support/engine-harness.ts";

const questionnaire = (data: Record<string, unknown> = {}, edges: Array<[string, string, string?]> = []) =>
  graphOf(
    [
      ["s", "start", { keywords: ["hi"] }],
      [
        "u",
        "user_input_flow",
        {
          intro: "A few questions, {{contact.name}}.",
          questions: [
            { id: "name", text: "Your name?" },
            { id: "age", text: "Your age?", validation: { type: "number" } },
            { id: "note", text: "Anything else?", required: false },
          ],
          ...data,
        },
      ],
      ["next", "text", { text: "Thanks {{answers.name}}" }],
      ["ended", "text", { text: "Bye" }],
      ["error", "text", { text: "Error path" }],
    ],
    [["s", "u"], ["u", "next"], ...edges],
  );

describe("user_input_flow", () => {
  it("asks in order, validates, lets optional questions be skipped, then continues", () => {
    const run = createHarness(questionnaire());
    run.start();
    expect(run.texts()).toEqual(["A few questions, Ana.", "Your name?"]);
    run.reply("Ana Gil");
    expect(run.texts()).toEqual(["Your age?"]);
    run.reply("old");
    expect(run.texts()[1]).toBe("Your age?");
    run.reply("33");
    expect(run.texts()).toEqual(["Anything else?"]);
    run.reply("SKIP");
    expect(run.texts()).toEqual(["Thanks Ana Gil"]);
    expect(run.state.variables.answers).toEqual({ name: "Ana Gil", age: 33 });
  });

  it("submits seed 004's payload and asks the additional questions the API returns", () => {
    const run = createHarness(
      questionnaire({
        submitUrl: "https://api.example.com/process",
        questions: [{ id: "name", text: "Name?" }],
      }),
    );
    run.start();
    run.reply("Ana");
    const [request] = run.ofType("httpRequest");
    expect(request?.request).toMatchObject({ method: "POST", url: "https://api.example.com/process" });
    expect(JSON.parse(request?.request.body ?? "{}")).toEqual({
      user_phone: "+34600111222",
      timestamp: new Date(T0).toISOString(),
      answers: { name: "Ana" },
    });
    expect(run.state.waiting?.reason).toBe("http");

    run.send({
      type: "httpResult",
      requestId: request?.requestId ?? "",
      ok: true,
      status: 200,
      body: {
        continue_conversation: true,
        message: "One more thing",
        additional_questions: [{ id: "follow_up", text: "Follow up?", required: false }],
      },
    });
    expect(run.texts()).toEqual(["One more thing", "Follow up?"]);
    run.reply("All good");
    expect(run.state.variables.answers).toEqual({ name: "Ana", follow_up: "All good" });
    const second = run.ofType("httpRequest")[0];
    run.send({
      type: "httpResult",
      requestId: second?.requestId ?? "",
      ok: true,
      status: 200,
      body: { continue_conversation: true, message: "Done" },
    });
    expect(run.texts()).toEqual(["Done", "Thanks Ana"]);
  });

  it("ends through `ended` with the final message when the API says so", () => {
    const run = createHarness(
      questionnaire({ submitUrl: "https://api.example.com/p", questions: [{ id: "q", text: "Q?" }] }, [
        ["u", "ended", "ended"],
      ]),
    );
    run.start();
    run.reply("x");
    const [request] = run.ofType("httpRequest");
    run.send({
      type: "httpResult",
      requestId: request?.requestId ?? "",
      ok: true,
      body: { continue_conversation: false, final_message: "Processed" },
    });
    expect(run.texts()).toEqual(["Processed", "Bye"]);
  });

  it.each([
    ["a failed call", { ok: false, error: "timeout" }],
    ["a non-object body", { ok: true, status: 200, body: "oops" }],
  ])("%s apologises and follows `error`, never crashing", (_label, result) => {
    const run = createHarness(
      questionnaire(
        {
          submitUrl: "https://api.example.com/p",
          questions: [{ id: "q", text: "Q?" }],
          apologyMessage: "Sorry!",
        },
        [["u", "error", "error"]],
      ),
    );
    run.start();
    run.reply("x");
    const [request] = run.ofType("httpRequest");
    run.send({ type: "httpResult", requestId: request?.requestId ?? "", ...result });
    expect(run.texts()).toEqual(["Sorry!", "Error path"]);
    expect(run.state.status).toBe("completed");
  });

  it("ignores an httpResult for another request", () => {
    const run = createHarness(
      questionnaire({ submitUrl: "https://api.example.com/p", questions: [{ id: "q", text: "Q?" }] }),
    );
    run.start();
    run.reply("x");
    expect(run.send({ type: "httpResult", requestId: "other", ok: true, body: {} })).toEqual([]);
    expect(run.state.waiting?.reason).toBe("http");
  });
});
