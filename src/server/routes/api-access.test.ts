import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

async function exchange(clientId: string, apiKey: string) {
  return server.app.inject({ method: "POST", url: "/api/auth/api-token", payload: { clientId, apiKey } });
}

describe("API access", () => {
  it("creates the client once, blocked until approved, and rotates the key", async () => {
    expect((await server.call("admin", "GET", "/api/settings/api-access")).json()).toEqual({
      apiAccess: null,
    });
    expect((await server.call("admin", "POST", "/api/settings/api-access/approve")).statusCode).toBe(404);

    const created = await server.call("admin", "POST", "/api/settings/api-access");
    expect(created.statusCode).toBe(201);
    const { clientId, apiKey, approved, rotatedAt } = created.json();
    expect(clientId).toMatch(/^parley_/);
    expect(apiKey).toMatch(/^sk_/);
    expect(approved).toBe(false);
    expect(rotatedAt).toBeNull();
    expect((await server.call("admin", "POST", "/api/settings/api-access")).statusCode).toBe(409);

    const status = await server.call("admin", "GET", "/api/settings/api-access");
    expect(status.json().apiAccess).toMatchObject({ clientId, approved: false });
    expect(status.body).not.toContain(apiKey);

    expect((await exchange(clientId, apiKey)).statusCode).toBe(401);
    const approval = await server.call("owner", "POST", "/api/settings/api-access/approve", { payload: {} });
    expect(approval.json()).toMatchObject({ clientId, approved: true });
    expect(approval.body).not.toContain(apiKey);
    const token = await exchange(clientId, apiKey);
    expect(token.statusCode).toBe(200);
    const flows = await server.app.inject({
      method: "GET",
      url: "/api/flows",
      headers: { authorization: `Bearer ${token.json().accessToken}` },
    });
    expect(flows.statusCode).toBe(200);

    const rotated = await server.call("admin", "POST", "/api/settings/api-access/rotate");
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().apiKey).not.toBe(apiKey);
    expect(rotated.json().rotatedAt).not.toBeNull();
    expect((await exchange(clientId, apiKey)).statusCode).toBe(401);
    expect((await exchange(clientId, rotated.json().apiKey)).statusCode).toBe(200);

    const blocked = await server.call("admin", "POST", "/api/settings/api-access/approve", {
      payload: { approved: false },
    });
    expect(blocked.json().approved).toBe(false);
    expect((await exchange(clientId, rotated.json().apiKey)).statusCode).toBe(401);
  });

  it("is per organization and for admins only", async () => {
    expect((await server.call("owner", "GET", "/api/settings/api-access", { org: "b" })).json()).toEqual({
      apiAccess: null,
    });
    expect((await server.call("editor", "GET", "/api/settings/api-access")).statusCode).toBe(403);
    expect((await server.call("editor", "POST", "/api/settings/api-access/rotate")).statusCode).toBe(403);
    expect((await server.call(null, "POST", "/api/settings/api-access")).statusCode).toBe(401);
    const approve = await server.call("admin", "POST", "/api/settings/api-access/approve", {
      payload: { approved: "yes" },
    });
    expect(approve.statusCode).toBe(400);
    expect(approve.json().details[0].path).toBe("body.approved");
  });
});
