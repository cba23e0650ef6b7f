import { describe, expect, it } from "vitest";
import { createHarness, graphOf } from "../../../test/support/engine-harness.ts";

const single = (
  data: Record<string, unknown>,
  extraNodes: Array<[string, string, Record<string, unknown>?]> = [],
  edges: Array<[string, string, string?]> = [],
) =>
  graphOf(
    [
      ["s", "start", { keywords: ["hi"] }],
      ["a", "action", data],
      ["next", "text", { text: "next" }],
      ...extraNodes,
    ],
    [["s", "a"], ...edges],
  );

describe("action node", () => {
  it("end completes, sending its message if any", () => {
    const run = createHarness(single({ actionType: "end", message: "Bye {{contact.name}}" }));
    run.start();
    expect(run.texts()).toEqual(["Bye Ana"]);
    expect(run.state.status).toBe("completed");
  });

  it("fallback_ai sets _handoff_to_ai and completes (seed 000)", () => {
    const run = createHarness(single({ actionType: "fallback_ai" }));
    run.start();
    expect(run.state.variables._handoff_to_ai).toBe(true);
    expect(run.state.status).toBe("completed");
  });

  it("handoff pauses for a human and resumes on handback", () => {
    const run = createHarness(
      single({ actionType: "handoff", message: "An agent will join" }, [], [["a", "next"]]),
    );
    run.start();
    expect(run.ofType("handoff")).toEqual([{ type: "handoff", nodeId: "a", reason: "An agent will join" }]);
    expect(run.state).toMatchObject({ status: "waiting_for_input", waiting: { reason: "handoff" } });
    run.reply("hello? is anyone there");
    expect(run.ofType("send")).toEqual([]);
    run.send({ type: "handback" });
    expect(run.texts()).toEqual(["next"]);
  });

  it.each([
    [
      { actionType: "add_tag", tag: "vip-{{contact.city}}" },
      { op: "add_tag", tag: "vip-Madrid" },
    ],
    [
      { actionType: "remove_tag", tag: "lead" },
      { op: "remove_tag", tag: "lead" },
    ],
    [
      { actionType: "assign", assignTo: "sales" },
      { op: "assign", assignee: "sales" },
    ],
  ])("%j emits a contact effect and continues", (data, operation) => {
    const run = createHarness(single(data, [], [["a", "next"]]));
    run.start();
    expect(run.ofType("contact")).toEqual([{ type: "contact", nodeId: "a", operation }]);
    expect(run.texts()).toEqual(["next"]);
  });

  it("set_variable interpolates string values", () => {
    const run = createHarness(
      single(
        { actionType: "set_variable", variableName: "greeting", value: "Hola {{contact.name}}" },
        [],
        [["a", "next"]],
      ),
    );
    run.start();
    expect(run.state.variables.greeting).toBe("Hola Ana");
  });

  describe("http_request", () => {
    const http = (edges: Array<[string, string, string?]>) =>
      single(
        {
          actionType: "http_request",
          method: "POST",
          url: "https://crm.example.com/leads/{{contact.id}}",
          headers: { Authorization: "Bearer {{token}}" },
          body: { name: "{{contact.name}}", tags: ["{{contact.city}}"] },
          timeoutSeconds: 5,
          responseMapping: { leadId: "$.data.id", firstTag: "$.data.tags[0]" },
          saveResponseTo: "crm",
        },
        [["fail", "text", { text: "failed: {{http_error}}" }]],
        edges,
      );

    it("emits the request with everything interpolated and waits", () => {
      const run = createHarness(http([]));
      run.send({ type: "start", trigger: { kind: "api", variables: { token: "t0k" } } });
      const [effect] = run.ofType("httpRequest");
      expect(effect?.request).toEqual({
        method: "POST",
        url: "https://crm.example.com/leads/contact-1",
        headers: { authorization: "Bearer t0k", "content-type": "application/json" },
        body: JSON.stringify({ name: "Ana", tags: ["Madrid"] }),
        timeoutMs: 5000,
      });
      expect(run.state.waiting).toMatchObject({ reason: "http", requestId: effect?.requestId });
    });

    it("maps the response and follows `success`", () => {
      const run = createHarness(
        http([
          ["a", "next", "success"],
          ["a", "fail", "error"],
        ]),
      );
      run.start();
      const requestId = run.ofType("httpRequest")[0]?.requestId ?? "";
      run.send({
        type: "httpResult",
        requestId,
        ok: true,
        status: 201,
        body: { data: { id: "L-9", tags: ["hot"] } },
      });
      expect(run.state.variables).toMatchObject({
        leadId: "L-9",
        firstTag: "hot",
        crm: { data: { id: "L-9", tags: ["hot"] } },
      });
      expect(run.texts()).toEqual(["next"]);
    });

    it("follows `error` on failure", () => {
      const run = createHarness(
        http([
          ["a", "next", "success"],
          ["a", "fail", "error"],
        ]),
      );
      run.start();
      const requestId = run.ofType("httpRequest")[0]?.requestId ?? "";
      run.send({ type: "httpResult", requestId, ok: false, status: 503, error: "HTTP 503" });
      expect(run.texts()).toEqual(["failed: HTTP 503"]);
    });

    it("fails the execution with HTTP_REQUEST_FAILED when there is no error edge", () => {
      const run = createHarness(http([["a", "next", "success"]]));
      run.start();
      const requestId = run.ofType("httpRequest")[0]?.requestId ?? "";
      run.send({ type: "httpResult", requestId, ok: false, error: "connect ECONNREFUSED" });
      expect(run.state.error).toMatchObject({ code: "HTTP_REQUEST_FAILED", nodeId: "a" });
    });

    it("refuses a non-http URL", () => {
      const run = createHarness(single({ actionType: "http_request", url: "file:///etc/passwd" }));
      run.start();
      expect(run.state.error?.code).toBe("ENGINE_INVALID_NODE");
      expect(run.ofType("httpRequest")).toEqual([]);
    });
  });

  it("jump to a node goes there", () => {
    const run = createHarness(single({ actionType: "jump", targetNodeId: "next" }));
    run.start();
    expect(run.texts()).toEqual(["next"]);
  });

  it("jump to another flow emits startFlow with the variables and completes", () => {
    const run = createHarness(single({ actionType: "jump", targetFlowId: "flow-2" }));
    run.send({ type: "start", trigger: { kind: "api", variables: { a: 1 } } });
    expect(run.ofType("startFlow")).toEqual([
      { type: "startFlow", nodeId: "a", flowId: "flow-2", variables: { a: 1 } },
    ]);
    expect(run.state.status).toBe("completed");
  });
});
