import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer, sampleGraph } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

async function publishedTwice() {
  const flow = (
    await server.call("editor", "POST", "/api/flows", { payload: { name: "V", ...sampleGraph(["one"]) } })
  ).json();
  await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
  await server.call("editor", "PUT", `/api/flows/${flow.id}`, { payload: sampleGraph(["two"]) });
  await server.call("editor", "POST", `/api/flows/${flow.id}/publish`);
  return flow;
}

describe("flow versions", () => {
  it("lists versions newest first, marking the published one", async () => {
    const flow = await publishedTwice();
    const response = await server.call("viewer", "GET", `/api/flows/${flow.id}/versions`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.count).toBe(2);
    expect(body.results.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(body.results.map((v: { is_published: boolean }) => v.is_published)).toEqual([true, false]);
    expect(body.results[0].created_by).toBe(server.orgs.a.users.editor);
  });

  it("reads one version with its graph", async () => {
    const flow = await publishedTwice();
    const response = await server.call("viewer", "GET", `/api/flows/${flow.id}/versions/1`);
    expect(response.statusCode).toBe(200);
    expect(response.json().nodes[0].data.keywords).toEqual(["one"]);
    expect((await server.call("viewer", "GET", `/api/flows/${flow.id}/versions/9`)).statusCode).toBe(404);
    const bad = await server.call("viewer", "GET", `/api/flows/${flow.id}/versions/zero`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe("params.version");
  });

  it("restores a version into the draft and re-derives keywords", async () => {
    const flow = await publishedTwice();
    const response = await server.call("editor", "POST", `/api/flows/${flow.id}/versions/1/restore`);
    expect(response.statusCode).toBe(200);
    expect(response.json().trigger_keywords).toEqual(["one"]);
    expect(response.json().nodes[0].data.keywords).toEqual(["one"]);
  });

  it("keeps other organizations and viewers out", async () => {
    const flow = await publishedTwice();
    expect(
      (await server.call("owner", "GET", `/api/flows/${flow.id}/versions`, { org: "b" })).statusCode,
    ).toBe(404);
    expect(
      (await server.call("owner", "GET", `/api/flows/${flow.id}/versions/1`, { org: "b" })).statusCode,
    ).toBe(404);
    const restoreForeign = await server.call("owner", "POST", `/api/flows/${flow.id}/versions/1/restore`, {
      org: "b",
    });
    expect(restoreForeign.statusCode).toBe(404);
    expect((await server.call("viewer", "POST", `/api/flows/${flow.id}/versions/1/restore`)).statusCode).toBe(
      403,
    );
    expect((await server.call(null, "GET", `/api/flows/${flow.id}/versions`)).statusCode).toBe(401);
  });
});
