import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStoreTestServer, type StoreTestServer } from "../../../test/support/server.ts";

let server: StoreTestServer;
beforeAll(async () => {
  server = await buildStoreTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("members", () => {
  it("lists the organization's members without password hashes", async () => {
    const response = await server.call("admin", "GET", "/api/settings/members");
    expect(response.statusCode).toBe(200);
    expect(response.json().count).toBe(4);
    expect(response.json().results.map((m: { email: string }) => m.email)).toContain("viewer@acme.test");
    expect(response.body).not.toContain("argon2");
    expect(response.body).not.toContain("globex");
  });

  it("adds a member who can then log in", async () => {
    const created = await server.call("admin", "POST", "/api/settings/members", {
      payload: { email: "New.Person@Acme.test", password: "a long enough password", role: "editor" },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      email: "new.person@acme.test",
      role: "editor",
      name: "New.Person",
    });
    expect(created.body).not.toContain("a long enough password");
    const login = await server.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "new.person@acme.test", password: "a long enough password" },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ organizationId: server.orgs.a.id, user: { role: "editor" } });
    const again = await server.call("admin", "POST", "/api/settings/members", {
      payload: { email: "new.person@acme.test", password: "a long enough password", role: "viewer" },
    });
    expect(again.statusCode).toBe(409);
  });

  it("names invalid fields and keeps the owner role to owners", async () => {
    const invalid = await server.call("admin", "POST", "/api/settings/members", {
      payload: { email: "nope", password: "short", role: "boss" },
    });
    expect(invalid.statusCode).toBe(400);
    expect(
      invalid
        .json()
        .details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(["body.email", "body.password", "body.role"]);
    const grant = await server.call("admin", "POST", "/api/settings/members", {
      payload: { email: "o2@acme.test", password: "a long enough password", role: "owner" },
    });
    expect(grant.statusCode).toBe(403);
    const demote = await server.call("admin", "PATCH", `/api/settings/members/${server.orgs.a.users.owner}`, {
      payload: { role: "viewer" },
    });
    expect(demote.statusCode).toBe(403);
  });

  it("changes roles but never demotes or removes the last owner", async () => {
    const ownerId = server.orgs.a.users.owner;
    const demote = await server.call("owner", "PATCH", `/api/settings/members/${ownerId}`, {
      payload: { role: "admin" },
    });
    expect(demote.statusCode).toBe(409);
    const remove = await server.call("owner", "DELETE", `/api/settings/members/${ownerId}`);
    expect(remove.statusCode).toBe(409);
    expect(remove.json().code).toBe("CONFLICT");

    const editorId = server.orgs.a.users.editor;
    const promoted = await server.call("owner", "PATCH", `/api/settings/members/${editorId}`, {
      payload: { role: "owner" },
    });
    expect(promoted.json()).toMatchObject({ user_id: editorId, role: "owner" });
    const nowDemotable = await server.call("owner", "PATCH", `/api/settings/members/${ownerId}`, {
      payload: { role: "admin" },
    });
    expect(nowDemotable.statusCode).toBe(200);
    const restore = await server.call("owner", "PATCH", `/api/settings/members/${ownerId}`, {
      payload: { role: "owner" },
      headers: {},
    });
    expect(restore.statusCode).toBe(200);
  });

  it("removes members of its own organization only", async () => {
    const viewerB = server.orgs.b.users.viewer;
    expect((await server.call("owner", "DELETE", `/api/settings/members/${viewerB}`)).statusCode).toBe(404);
    expect(
      (
        await server.call("owner", "PATCH", `/api/settings/members/${viewerB}`, {
          payload: { role: "admin" },
        })
      ).statusCode,
    ).toBe(404);
    expect((await server.call("editor", "GET", "/api/settings/members", { org: "b" })).statusCode).toBe(403);
    expect((await server.call(null, "GET", "/api/settings/members")).statusCode).toBe(401);
    const viewerA = server.orgs.a.users.viewer;
    expect((await server.call("admin", "DELETE", `/api/settings/members/${viewerA}`)).statusCode).toBe(204);
    const list = (await server.call("admin", "GET", "/api/settings/members")).json();
    expect(list.results.map((m: { user_id: string }) => m.user_id)).not.toContain(viewerA);
  });
});
