import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer, sampleGraph } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

async function createFlow(body: Record<string, unknown>, org: "a" | "b" = "a") {
  const response = await server.app.inject({
    method: "POST",
    url: "/api/flows",
    headers: { cookie: await server.cookie("editor", org) },
    payload: body,
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe("POST /api/flows", () => {
  it("creates a draft with derived, lower-cased trigger keywords", async () => {
    const flow = await createFlow({ name: "Welcome", description: "hello", ...sampleGraph() });
    expect(flow).toMatchObject({
      name: "Welcome",
      description: "hello",
      organization: server.orgs.a.id,
      is_active: false,
      is_published: false,
      trigger_keywords: ["hello", "hi"],
      node_count: 2,
      trigger_count: 2,
      execution_count: 0,
      published_at: null,
    });
    expect(flow.nodes).toHaveLength(2);
    expect(flow.edges).toEqual([{ id: "e1", source: "start", target: "reply" }]);
    expect(Date.parse(flow.updated_at)).not.toBeNaN();
  });

  it("ignores a client-sent trigger_keywords (read-only)", async () => {
    const flow = await createFlow({ name: "RO", trigger_keywords: ["sneaky"], ...sampleGraph(["yo"]) });
    expect(flow.trigger_keywords).toEqual(["yo"]);
  });

  it("names every graph problem by path", async () => {
    const response = await server.app.inject({
      method: "POST",
      url: "/api/flows",
      headers: { cookie: await server.cookie("editor") },
      payload: {
        name: "Broken",
        nodes: [{ id: "", type: "text" }],
        edges: [{ id: "e1", source: "a" }],
      },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe("VALIDATION_FAILED");
    const paths = body.details.map((d: { path: string }) => d.path);
    expect(paths).toContain("body.nodes[0].id");
    expect(paths).toContain("body.edges[0].target");
  });

  it("names node data problems by path", async () => {
    const response = await server.app.inject({
      method: "POST",
      url: "/api/flows",
      headers: { cookie: await server.cookie("editor") },
      payload: {
        name: "Bad data",
        nodes: [{ id: "q", type: "question", data: { options: [{ title: "x" }] } }],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details.map((d: { path: string }) => d.path)).toEqual([
      "body.nodes[0].data.options[0].id",
    ]);
  });

  it("requires a name", async () => {
    const response = await server.app.inject({
      method: "POST",
      url: "/api/flows",
      headers: { cookie: await server.cookie("editor") },
      payload: { nodes: [] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([expect.objectContaining({ path: "body.name" })]);
  });

  it("answers 401 without credentials and 403 for a viewer", async () => {
    const anonymous = await server.app.inject({ method: "POST", url: "/api/flows", payload: { name: "x" } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe("UNAUTHENTICATED");
    const viewer = await server.app.inject({
      method: "POST",
      url: "/api/flows",
      headers: { cookie: await server.cookie("viewer") },
      payload: { name: "x" },
    });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().code).toBe("FORBIDDEN");
  });
});

describe("GET /api/flows", () => {
  it("pages, searches and filters within the caller's organization only", async () => {
    for (const name of ["Alpha list", "Beta list", "Gamma list"]) await createFlow({ name });
    await createFlow({ name: "Alpha list other org" }, "b");
    const cookie = await server.cookie("viewer");
    const first = await server.app.inject({
      method: "GET",
      url: "/api/flows?q=LIST&page_size=2",
      headers: { cookie },
    });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.count).toBe(3);
    expect(page1.results).toHaveLength(2);
    expect(page1.previous).toBeNull();
    expect(page1.next).toBe("/api/flows?q=LIST&page_size=2&page=2");
    expect(page1.results[0]).not.toHaveProperty("nodes");
    expect(page1.results[0]).toHaveProperty("node_count");
    const second = (await server.app.inject({ method: "GET", url: page1.next, headers: { cookie } })).json();
    expect(second.results).toHaveLength(1);
    expect(second.next).toBeNull();
    expect(second.previous).toBe("/api/flows?q=LIST&page_size=2&page=1");

    const inactive = await server.app.inject({
      method: "GET",
      url: "/api/flows?is_active=true&q=list",
      headers: { cookie },
    });
    expect(inactive.json().count).toBe(0);
  });

  it("rejects a page_size above 100", async () => {
    const response = await server.app.inject({
      method: "GET",
      url: "/api/flows?page_size=101",
      headers: { cookie: await server.cookie("viewer") },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().details[0].path).toBe("querystring.page_size");
  });
});

describe("GET/PUT/DELETE /api/flows/{id}", () => {
  it("answers 404 NOT_FOUND for another organization's flow on every verb", async () => {
    const foreign = await createFlow({ name: "Theirs" }, "b");
    const cookie = await server.cookie("owner");
    for (const method of ["GET", "PUT", "DELETE"] as const) {
      const response = await server.app.inject({
        method,
        url: `/api/flows/${foreign.id}`,
        headers: { cookie },
        ...(method === "PUT" && { payload: { name: "Mine now" } }),
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("NOT_FOUND");
    }
  });

  it("updates with the updated_at read and refuses a stale one with 409", async () => {
    const flow = await createFlow({ name: "Concurrent", ...sampleGraph() });
    const cookie = await server.cookie("editor");
    const first = await server.app.inject({
      method: "PUT",
      url: `/api/flows/${flow.id}`,
      headers: { cookie },
      payload: { name: "Renamed", updated_at: flow.updated_at },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().name).toBe("Renamed");
    expect(first.json().nodes).toHaveLength(2);
    expect(Date.parse(first.json().updated_at)).toBeGreaterThan(Date.parse(flow.updated_at));

    const stale = await server.app.inject({
      method: "PUT",
      url: `/api/flows/${flow.id}`,
      headers: { cookie },
      payload: { description: "lost update", updated_at: flow.updated_at },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe("CONFLICT");

    const viaHeader = await server.app.inject({
      method: "PUT",
      url: `/api/flows/${flow.id}`,
      headers: { cookie, "if-unmodified-since": flow.updated_at },
      payload: { description: "lost update" },
    });
    expect(viaHeader.statusCode).toBe(409);
  });

  it("re-derives trigger keywords when the graph changes and validates it", async () => {
    const flow = await createFlow({ name: "Keywords", ...sampleGraph() });
    const cookie = await server.cookie("editor");
    const graph = sampleGraph([" Menu", "menu ", "START"]);
    const updated = await server.app.inject({
      method: "PUT",
      url: `/api/flows/${flow.id}`,
      headers: { cookie },
      payload: { nodes: graph.nodes },
    });
    expect(updated.json().trigger_keywords).toEqual(["menu", "start"]);
    const invalid = await server.app.inject({
      method: "PUT",
      url: `/api/flows/${flow.id}`,
      headers: { cookie },
      payload: { edges: [{ id: "e9", source: "start" }] },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().details[0].path).toBe("body.edges[0].target");
  });

  it("reads and deletes for the right roles", async () => {
    const flow = await createFlow({ name: "Doomed" });
    const read = await server.app.inject({
      method: "GET",
      url: `/api/flows/${flow.id}`,
      headers: { cookie: await server.cookie("viewer") },
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(flow.id);
    const forbidden = await server.app.inject({
      method: "DELETE",
      url: `/api/flows/${flow.id}`,
      headers: { cookie: await server.cookie("viewer") },
    });
    expect(forbidden.statusCode).toBe(403);
    const deleted = await server.app.inject({
      method: "DELETE",
      url: `/api/flows/${flow.id}`,
      headers: { cookie: await server.cookie("editor") },
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe("");
    const gone = await server.app.inject({
      method: "GET",
      url: `/api/flows/${flow.id}`,
      headers: { cookie: await server.cookie("viewer") },
    });
    expect(gone.statusCode).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents every store-backed route", async () => {
    const response = await server.app.inject({ method: "GET", url: "/docs/json" });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const path of [
      "/api/flows",
      "/api/flows/{id}/publish",
      "/api/flows/{id}/versions/{version}/restore",
      "/api/flows/{id}/edges",
      "/api/channels/{id}",
      "/api/settings/api-access/rotate",
      "/api/settings/members/{userId}",
      "/api/template-groups",
    ]) {
      expect(paths).toContain(path);
    }
  });
});
