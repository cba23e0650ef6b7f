import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildOperatorTestServer,
  type OperatorTestServer,
  questionGraph,
} from "../../../test/support/operator-server.ts";
import type { InboundMessage } from "../../core/channel.ts";
import { getErrorStatus } from "../error-status.ts";

let server: OperatorTestServer;
const ids = { flowA: "", execA: "", contactA: "", execB: "", finishedA: "" };

function inbound(from: string, text: string): InboundMessage {
  return {
    externalMessageId: `wamid.${randomUUID()}`,
    contact: { externalId: from, name: `Contact ${from}` },
    timestamp: Date.now(),
    kind: "text",
    text,
  };
}

beforeAll(async () => {
  server = await buildOperatorTestServer();
  const channelA = await server.addChannel("a", "whatsapp");
  const channelB = await server.addChannel("b", "whatsapp");
  const flowA = await server.addFlow("a", questionGraph(["hello"]), { name: "Tea survey" });
  await server.addFlow("b", questionGraph(["hello"]), { name: "Other org" });
  await server.runtime.acceptInbound(channelA, [inbound("34600000001", "hello")]);
  await server.runtime.acceptInbound(channelA, [inbound("34600000002", "hello")]);
  await server.runtime.acceptInbound(channelB, [inbound("34600000003", "hello")]);
  await server.runtime.idle();
  const listA = (await server.call("viewer", "GET", "/api/executions")).json();
  const listB = (await server.call("viewer", "GET", "/api/executions", { org: "b" })).json();
  ids.flowA = flowA.id;
  ids.execA = listA.results[0].id;
  ids.contactA = listA.results[0].contact_id;
  ids.finishedA = listA.results[1].id;
  ids.execB = listB.results[0].id;
  await server.runtime.cancelExecution(server.orgs.a.id, ids.finishedA);
});
afterAll(async () => {
  await server.close();
});

describe("GET /api/executions", () => {
  it("lists the organization's executions with seed 000's fields, newest first", async () => {
    const response = await server.call("viewer", "GET", "/api/executions");
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ count: 2, next: null, previous: null });
    expect(page.results[0]).toMatchObject({
      flow_id: ids.flowA,
      flow_name: "Tea survey",
      status: "waiting_for_input",
      current_node_id: "ask",
      trigger_keyword: "hello",
      completed_at: null,
    });
    expect(JSON.stringify(page)).not.toContain(ids.execB);
  });

  it("filters by status (repeated or comma-separated), flow and contact, and pages", async () => {
    const get = async (query: string) =>
      (await server.call("viewer", "GET", `/api/executions?${query}`)).json();
    expect((await get("status=waiting_for_input")).count).toBe(1);
    expect((await get("status=cancelled&status=completed")).count).toBe(1);
    expect((await get("status=cancelled,waiting_for_input")).count).toBe(2);
    expect((await get(`flow_id=${ids.flowA}`)).count).toBe(2);
    expect((await get("flow_id=unknown")).count).toBe(0);
    expect((await get(`contact_id=${ids.contactA}`)).results.map((e: { id: string }) => e.id)).toEqual([
      ids.execA,
    ]);
    const first = await get("page_size=1");
    expect(first).toMatchObject({ count: 2, next: "/api/executions?page_size=1&page=2", previous: null });
  });

  it("rejects bad filters and anonymous callers", async () => {
    expect((await server.call("viewer", "GET", "/api/executions?status=sleeping")).statusCode).toBe(400);
    expect((await server.call("viewer", "GET", "/api/executions?page_size=101")).statusCode).toBe(400);
    expect((await server.call(null, "GET", "/api/executions")).statusCode).toBe(401);
  });
});

describe("GET /api/executions/{id}", () => {
  it("shows visited nodes, variables, the step log and the duration", async () => {
    const response = await server.call("viewer", "GET", `/api/executions/${ids.execA}`);
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({
      id: ids.execA,
      visited_nodes: ["start", "ask"],
      waiting_handle: "ask",
      error_message: null,
      error_node_id: null,
    });
    expect(detail.flow_version_id).toEqual(expect.any(String));
    expect(detail.variables).toEqual(expect.any(Object));
    expect(detail.duration_seconds).toBeGreaterThanOrEqual(0);
    const actions = detail.logs.map(
      (log: { node_id: string; action: string }) => `${log.node_id}:${log.action}`,
    );
    expect(actions).toEqual(expect.arrayContaining(["start:entered", "ask:sent_message", "ask:waiting"]));
    expect(detail.logs[0]).toEqual(
      expect.objectContaining({ node_type: "start", timestamp: expect.any(String), input_data: null }),
    );
  });

  it("answers 404 for another organization's execution and 401 without a session", async () => {
    const foreign = await server.call("viewer", "GET", `/api/executions/${ids.execB}`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe("EXECUTION_NOT_FOUND");
    expect((await server.call(null, "GET", `/api/executions/${ids.execA}`)).statusCode).toBe(401);
  });
});

describe("POST /api/executions/{id}/cancel", () => {
  it("needs the editor role", async () => {
    const response = await server.call("viewer", "POST", `/api/executions/${ids.execA}/cancel`);
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("FORBIDDEN");
  });

  it("answers 404 for another organization's execution", async () => {
    expect((await server.call("editor", "POST", `/api/executions/${ids.execB}/cancel`)).statusCode).toBe(404);
  });

  it("cancels a waiting execution once, then refuses with EXECUTION_FINISHED", async () => {
    const response = await server.call("editor", "POST", `/api/executions/${ids.execA}/cancel`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "cancelled",
      execution: { id: ids.execA, status: "cancelled" },
    });
    expect(response.json().execution.completed_at).toEqual(expect.any(String));
    const again = await server.call("editor", "POST", `/api/executions/${ids.execA}/cancel`);
    expect(again.statusCode).toBe(getErrorStatus("EXECUTION_FINISHED"));
    expect(again.json().code).toBe("EXECUTION_FINISHED");
    const detail = (await server.call("viewer", "GET", `/api/executions/${ids.execA}`)).json();
    expect(detail.status).toBe("cancelled");
  });
});
