import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer, sampleGraph } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

async function newFlow() {
  return (
    await server.call("editor", "POST", "/api/flows", { payload: { name: "G", ...sampleGraph() } })
  ).json();
}

describe("nodes", () => {
  it("lists, adds, changes and deletes nodes, bumping updated_at", async () => {
    const flow = await newFlow();
    const list = await server.call("viewer", "GET", `/api/flows/${flow.id}/nodes`);
    expect(list.json().count).toBe(2);
    const added = await server.call("editor", "POST", `/api/flows/${flow.id}/nodes`, {
      payload: {
        id: "ask",
        type: "question",
        position: { x: 5, y: 6 },
        data: { body: "Pick", options: [{ id: "a", title: "A" }] },
      },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ id: "ask", type: "question", flow_id: flow.id });
    expect(Date.parse(added.json().flow_updated_at)).toBeGreaterThan(Date.parse(flow.updated_at));

    const changed = await server.call("editor", "PUT", `/api/flows/${flow.id}/nodes/start`, {
      payload: { data: { keywords: ["NEW "] } },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().position).toEqual({ x: 0, y: 0 });
    const detail = (await server.call("viewer", "GET", `/api/flows/${flow.id}`)).json();
    expect(detail.trigger_keywords).toEqual(["new"]);

    const deleted = await server.call("editor", "DELETE", `/api/flows/${flow.id}/nodes/reply`);
    expect(deleted.statusCode).toBe(204);
    const after = (await server.call("viewer", "GET", `/api/flows/${flow.id}`)).json();
    expect(after.nodes.map((n: { id: string }) => n.id)).toEqual(["start", "ask"]);
    expect(after.edges).toEqual([]);
  });

  it("validates node data by path, refuses duplicate ids, 404s unknown nodes", async () => {
    const flow = await newFlow();
    const bad = await server.call("editor", "POST", `/api/flows/${flow.id}/nodes`, {
      payload: { type: "question", data: { options: [{ title: "no id" }] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe("body.data.options[0].id");
    const missingType = await server.call("editor", "POST", `/api/flows/${flow.id}/nodes`, {
      payload: { id: "x" },
    });
    expect(missingType.json().details[0].path).toBe("body.type");
    const duplicate = await server.call("editor", "POST", `/api/flows/${flow.id}/nodes`, {
      payload: { id: "start", type: "text" },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(
      (await server.call("editor", "PUT", `/api/flows/${flow.id}/nodes/nope`, { payload: {} })).statusCode,
    ).toBe(404);
    expect((await server.call("editor", "DELETE", `/api/flows/${flow.id}/nodes/nope`)).statusCode).toBe(404);
  });

  it("keeps viewers, strangers and other organizations out", async () => {
    const flow = await newFlow();
    const payload = { type: "text", data: { text: "x" } };
    expect((await server.call("viewer", "POST", `/api/flows/${flow.id}/nodes`, { payload })).statusCode).toBe(
      403,
    );
    expect((await server.call(null, "GET", `/api/flows/${flow.id}/nodes`)).statusCode).toBe(401);
    const foreign = await server.call("owner", "POST", `/api/flows/${flow.id}/nodes`, { payload, org: "b" });
    expect(foreign.statusCode).toBe(404);
    expect((await server.call("owner", "GET", `/api/flows/${flow.id}/nodes`, { org: "b" })).statusCode).toBe(
      404,
    );
    expect(
      (await server.call("owner", "DELETE", `/api/flows/${flow.id}/nodes/start`, { org: "b" })).statusCode,
    ).toBe(404);
  });
});

describe("edges", () => {
  it("accepts seed 001's source_node/target_node and trigger fields", async () => {
    const flow = await newFlow();
    const added = await server.call("editor", "POST", `/api/flows/${flow.id}/edges`, {
      payload: {
        source_node: "reply",
        target_node: "start",
        trigger: "button_click",
        trigger_value: "Track Order",
      },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      source: "reply",
      target: "start",
      source_node: "reply",
      target_node: "start",
      trigger: "button_click",
      trigger_value: "Track Order",
    });
    const list = (await server.call("viewer", "GET", `/api/flows/${flow.id}/edges`)).json();
    expect(list.count).toBe(2);
    const deleted = await server.call("editor", "DELETE", `/api/flows/${flow.id}/edges/${added.json().id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await server.call("viewer", "GET", `/api/flows/${flow.id}/edges`)).json().count).toBe(1);
  });

  it("names missing ends and unknown nodes", async () => {
    const flow = await newFlow();
    const missing = await server.call("editor", "POST", `/api/flows/${flow.id}/edges`, {
      payload: { source: "start" },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details.map((d: { path: string }) => d.path)).toEqual(["body.target"]);
    const unknown = await server.call("editor", "POST", `/api/flows/${flow.id}/edges`, {
      payload: { source: "ghost", target: "start" },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details[0].path).toBe("body.source");
    const duplicate = await server.call("editor", "POST", `/api/flows/${flow.id}/edges`, {
      payload: { id: "e1", source: "start", target: "reply" },
    });
    expect(duplicate.statusCode).toBe(409);
    expect((await server.call("editor", "DELETE", `/api/flows/${flow.id}/edges/nope`)).statusCode).toBe(404);
  });

  it("keeps viewers and other organizations out", async () => {
    const flow = await newFlow();
    const payload = { source: "reply", target: "start" };
    expect((await server.call("viewer", "POST", `/api/flows/${flow.id}/edges`, { payload })).statusCode).toBe(
      403,
    );
    expect(
      (await server.call("owner", "POST", `/api/flows/${flow.id}/edges`, { payload, org: "b" })).statusCode,
    ).toBe(404);
    expect((await server.call("owner", "GET", `/api/flows/${flow.id}/edges`, { org: "b" })).statusCode).toBe(
      404,
    );
    expect(
      (await server.call("owner", "DELETE", `/api/flows/${flow.id}/edges/e1`, { org: "b" })).statusCode,
    ).toBe(404);
  });
});
