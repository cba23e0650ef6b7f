import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer, sampleGraph } from "../../../test/support/server.ts";
import { createInitialState } from "../../core/execution.ts";
import {
  createChannel,
  createExecution,
  saveExecutionState,
  upsertContactFromInbound,
} from "../../store/index.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

async function newFlow(
  body: Record<string, unknown> = { name: "Flow", ...sampleGraph() },
  org: "a" | "b" = "a",
) {
  const response = await server.call("editor", "POST", "/api/flows", { payload: body, org });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe("POST /api/flows/{id}/publish", () => {
  it("publishes a valid flow as version 1, then 2", async () => {
    const flow = await newFlow();
    const first = await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ status: "published", version: 1, message: "Flow 'Flow' is now active" });
    expect(body.flow).toMatchObject({
      is_published: true,
      is_active: true,
      trigger_keywords: ["hello", "hi"],
    });
    expect(body.flow.published_at).toBe(body.published_at);
    const second = await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
    expect(second.json().version).toBe(2);
  });

  it("refuses an invalid flow with seed 000's body", async () => {
    const flow = await newFlow({ name: "Empty", nodes: [{ id: "t", type: "text", data: { text: "" } }] });
    const response = await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body).toMatchObject({
      status: "error",
      message: "Flow has validation errors",
      code: "FLOW_INVALID",
      validation: { valid: false },
    });
    expect(body.validation.errorCount).toBeGreaterThan(0);
    expect(body.validation.errors[0]).toEqual(
      expect.objectContaining({ type: "error", message: expect.any(String) }),
    );
    const after = await server.call("viewer", "GET", `/api/flows/${flow.id}`);
    expect(after.json().is_published).toBe(false);
  });

  it("answers 403 for a viewer, 401 anonymous and 404 for another organization's flow", async () => {
    const flow = await newFlow();
    expect((await server.call("viewer", "POST", `/api/flows/${flow.id}/publish`)).statusCode).toBe(403);
    expect((await server.call(null, "POST", `/api/flows/${flow.id}/publish`)).statusCode).toBe(401);
    const foreign = await server.call("owner", "POST", `/api/flows/${flow.id}/publish`, { org: "b" });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe("NOT_FOUND");
  });
});

describe("unpublish, duplicate, validate", () => {
  it("unpublishes", async () => {
    const flow = await newFlow();
    await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
    const response = await server.call("editor", "POST", `/api/flows/${flow.id}/unpublish`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: "unpublished", flow: { is_published: false } });
  });

  it("duplicates as an inactive, unpublished copy", async () => {
    const flow = await newFlow({ name: "Original", ...sampleGraph() });
    await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
    const response = await server.call("editor", "POST", `/api/flows/${flow.id}/duplicate`);
    expect(response.statusCode).toBe(201);
    const copy = response.json();
    expect(copy).toMatchObject({ name: "Original (Copy)", is_active: false, is_published: false });
    expect(copy.id).not.toBe(flow.id);
    expect(copy.nodes).toEqual(flow.nodes);
  });

  it("validates with seed 000's shape, viewers included", async () => {
    const flow = await newFlow();
    const response = await server.call("viewer", "GET", `/api/flows/${flow.id}/validate`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      errorCount: 0,
      warningCount: 0,
    });
    const foreign = await server.call("viewer", "GET", `/api/flows/${flow.id}/validate`, { org: "b" });
    expect(foreign.statusCode).toBe(404);
  });
});

describe("GET /api/flows/{id}/stats", () => {
  it("counts executions per status with completion rate and mean duration", async () => {
    const flow = await newFlow();
    const published = (await server.call("editor", "POST", `/api/flows/${flow.id}/publish`)).json();
    const db = server.database.db;
    const organizationId = server.orgs.a.id;
    const channel = await createChannel(db, { organizationId, kind: "web", name: "Sim", at: 1 });
    const runs: [string, number | null][] = [
      ["completed", 4000],
      ["completed", 2000],
      ["failed", null],
      ["waiting_for_input", null],
    ];
    for (const [index, [status, duration]] of runs.entries()) {
      const contact = await upsertContactFromInbound(db, {
        organizationId,
        channelId: channel.id,
        externalId: `c${index}`,
        at: 1000,
      });
      const execution = await createExecution(db, {
        organizationId,
        flowId: flow.id,
        flowVersionId: published.flow.published_version_id,
        contactId: contact.id,
        channelId: channel.id,
        state: createInitialState(),
        at: 1000,
      });
      const state = {
        ...createInitialState(),
        status: status === "completed" ? "completed" : "running",
      } as const;
      await saveExecutionState(db, execution.id, state, {
        updatedAt: 2000,
        status: status === "completed" ? "completed" : status === "failed" ? "failed" : "waiting_for_input",
        completedAt: duration === null ? null : 1000 + duration,
      });
    }
    const response = await server.call("viewer", "GET", `/api/flows/${flow.id}/stats`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      total_executions: 4,
      completed: 2,
      failed: 1,
      running: 1,
      completion_rate: 0.5,
      average_duration_seconds: 3,
      trigger_keywords: ["hello", "hi"],
      by_status: { completed: 2, failed: 1, waiting_for_input: 1, pending: 0 },
    });
  });

  it("answers zeros for a flow never run, 404 for a foreign one", async () => {
    const flow = await newFlow();
    const stats = (await server.call("viewer", "GET", `/api/flows/${flow.id}/stats`)).json();
    expect(stats).toMatchObject({ total_executions: 0, completion_rate: 0, average_duration_seconds: null });
    expect((await server.call("viewer", "GET", `/api/flows/${flow.id}/stats`, { org: "b" })).statusCode).toBe(
      404,
    );
  });
});

describe("export and import", () => {
  it("round-trips a flow as a new inactive draft", async () => {
    const flow = await newFlow({ name: "Portable", description: "d", ...sampleGraph() });
    const exported = await server.call("viewer", "GET", `/api/flows/${flow.id}/export`);
    expect(exported.statusCode).toBe(200);
    const file = exported.json();
    expect(file).toMatchObject({
      format: "parley.flow",
      format_version: 1,
      name: "Portable",
      description: "d",
    });
    expect(file.graph.nodes).toHaveLength(2);
    const imported = await server.call("editor", "POST", "/api/flows/import", { payload: file, org: "b" });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({
      name: "Portable",
      is_active: false,
      organization: server.orgs.b.id,
    });
    expect(imported.json().nodes).toEqual(flow.nodes);
  });

  it("rejects a file of another format and names graph problems under body.graph", async () => {
    const wrong = await server.call("editor", "POST", "/api/flows/import", {
      payload: { format: "other", format_version: 1, name: "x", graph: {} },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].path).toBe("body.format");
    const broken = await server.call("editor", "POST", "/api/flows/import", {
      payload: { format: "parley.flow", format_version: 1, name: "x", graph: { nodes: [{ type: "text" }] } },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().details[0].path).toBe("body.graph.nodes[0].id");
  });

  it("answers 404 when exporting another organization's flow and 403 importing as a viewer", async () => {
    const flow = await newFlow();
    expect(
      (await server.call("viewer", "GET", `/api/flows/${flow.id}/export`, { org: "b" })).statusCode,
    ).toBe(404);
    const viewer = await server.call("viewer", "POST", "/api/flows/import", {
      payload: { format: "parley.flow", format_version: 1, name: "x", graph: {} },
    });
    expect(viewer.statusCode).toBe(403);
  });
});
