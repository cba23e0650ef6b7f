import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer, sampleGraph } from "../../../test/support/server.ts";
import { createInitialState, type ExecutionStatus } from "../../core/execution.ts";
import {
  createChannel,
  createExecution,
  insertExecutionLogs,
  upsertContactFromInbound,
} from "../../store/index.ts";

const JAN_1 = Date.parse("2025-01-01T00:00:00.000Z");
const DAY = 86_400_000;

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

async function newFlow() {
  const response = await server.call("editor", "POST", "/api/flows", {
    payload: { name: "Flow", ...sampleGraph() },
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

/** Adds an execution of the flow in organization a that entered `entered` and stopped at `at`. */
async function addRun(
  flowId: string,
  status: ExecutionStatus,
  stoppedAt: string,
  entered: string[],
  at: number,
) {
  const db = server.database.db;
  const organizationId = server.orgs.a.id;
  const channel = await createChannel(db, { organizationId, kind: "web", name: "Sim", at });
  const contact = await upsertContactFromInbound(db, {
    organizationId,
    channelId: channel.id,
    externalId: `c-${flowId}-${at}-${status}`,
    at,
  });
  const execution = await createExecution(db, {
    organizationId,
    flowId,
    flowVersionId: "v1",
    contactId: contact.id,
    channelId: channel.id,
    state: { ...createInitialState(), status, currentNodeId: stoppedAt },
    at,
  });
  await insertExecutionLogs(
    db,
    entered.map((nodeId) => ({
      executionId: execution.id,
      organizationId,
      nodeId,
      nodeType: "text",
      action: "entered" as const,
      createdAt: at,
    })),
  );
}

describe("GET /api/flows/{id}/analytics", () => {
  it("answers visits, drop-offs and the completion rate per node", async () => {
    const flow = await newFlow();
    await addRun(flow.id, "completed", "reply", ["start", "reply"], JAN_1);
    await addRun(flow.id, "completed", "reply", ["start", "reply"], JAN_1 + DAY);
    await addRun(flow.id, "waiting_for_input", "reply", ["start", "reply"], JAN_1 + 2 * DAY);
    await addRun(flow.id, "expired", "start", ["start"], JAN_1 + 3 * DAY);

    const response = await server.call("viewer", "GET", `/api/flows/${flow.id}/analytics`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      executions: 4,
      completed: 2,
      completion_rate: 0.5,
      nodes: [
        { node_id: "start", visits: 4, waiting_now: 0, dropped_here: 1, drop_off_rate: 0.25 },
        { node_id: "reply", visits: 3, waiting_now: 1, dropped_here: 1, drop_off_rate: 0.3333 },
      ],
    });
  });

  it("counts only executions started since an ISO date or date-time", async () => {
    const flow = await newFlow();
    await addRun(flow.id, "expired", "start", ["start"], JAN_1);
    await addRun(flow.id, "completed", "reply", ["start", "reply"], JAN_1 + DAY);
    const expected = {
      executions: 1,
      completed: 1,
      completion_rate: 1,
      nodes: [
        { node_id: "reply", visits: 1, waiting_now: 0, dropped_here: 0, drop_off_rate: 0 },
        { node_id: "start", visits: 1, waiting_now: 0, dropped_here: 0, drop_off_rate: 0 },
      ],
    };
    const byDate = await server.call("viewer", "GET", `/api/flows/${flow.id}/analytics?since=2025-01-02`);
    expect(byDate.json()).toEqual(expected);
    const since = encodeURIComponent("2025-01-01T12:00:00+00:00");
    const byTime = await server.call("viewer", "GET", `/api/flows/${flow.id}/analytics?since=${since}`);
    expect(byTime.json()).toEqual(expected);
  });

  it("answers zeros for a flow never run", async () => {
    const flow = await newFlow();
    const response = await server.call("viewer", "GET", `/api/flows/${flow.id}/analytics`);
    expect(response.json()).toEqual({ executions: 0, completed: 0, completion_rate: 0, nodes: [] });
  });

  it("refuses a bad since, a foreign flow and an anonymous caller", async () => {
    const flow = await newFlow();
    const url = `/api/flows/${flow.id}/analytics`;
    const bad = await server.call("viewer", "GET", `${url}?since=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("VALIDATION_FAILED");
    const foreign = await server.call("viewer", "GET", url, { org: "b" });
    expect(foreign.statusCode).toBe(404);
    expect((await server.call("viewer", "GET", "/api/flows/nope/analytics")).statusCode).toBe(404);
    expect((await server.call(null, "GET", url)).statusCode).toBe(401);
  });

  it("is described in the OpenAPI document with its since parameter", async () => {
    const doc = (await server.app.inject({ method: "GET", url: "/docs/json" })).json();
    const operation = doc.paths["/api/flows/{id}/analytics"]?.get;
    expect(operation?.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual([
      "id",
      "since",
    ]);
  });
});
