import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildTestServer, logIn, TEST_API_CLIENT } from "../../../test/support/fake-server-deps.ts";
import { requireRole } from "../auth.ts";

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function buildWithAdminRoute(): Promise<FastifyInstance> {
  return buildTestServer({
    plugins: [
      async (child) => {
        child.get("/api/test/admin-only", { preHandler: requireRole("admin") }, async (request) => ({
          kind: request.principal?.kind,
        }));
      },
    ],
  });
}

async function getApiToken(target: FastifyInstance): Promise<string> {
  const response = await target.inject({
    method: "POST",
    url: "/api/auth/api-token",
    payload: { clientId: TEST_API_CLIENT.clientId, apiKey: TEST_API_CLIENT.apiKey },
  });
  return response.json().accessToken;
}

describe("POST /api/auth/login", () => {
  it("answers seed 003's user shape and sets an HttpOnly SameSite=Lax session cookie", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "alice", password: "alice-pw" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: {
        id: "u-admin",
        username: "alice",
        displayName: "alice",
        email: "alice@example.test",
        role: "admin",
      },
      organizationId: "org1",
    });
    const setCookie = String(response.headers["set-cookie"]);
    expect(setCookie).toMatch(/^parley_session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).toContain("Max-Age=43200");
  });

  it("answers bad credentials with 401 INVALID_CREDENTIALS and no cookie", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "alice", password: "wrong" },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: "The username/password or clientId/apiKey pair is wrong.",
      code: "INVALID_CREDENTIALS",
    });
    expect(response.headers["set-cookie"]).toBeUndefined();
  });

  it("answers the 11th attempt from one IP within 15 minutes with 429 RATE_LIMITED and Retry-After", async () => {
    app = await buildTestServer();
    for (let i = 0; i < 10; i++) {
      const attempt = await app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "alice", password: "wrong" },
      });
      expect(attempt.statusCode).toBe(401);
    }
    const blocked = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "alice", password: "alice-pw" },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe("RATE_LIMITED");
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(800);
    const otherIp = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      remoteAddress: "10.9.9.9",
      payload: { username: "alice", password: "alice-pw" },
    });
    expect(otherIp.statusCode).toBe(200);
  });
});

describe("GET /api/auth/me", () => {
  it("returns the user for a session cookie", async () => {
    app = await buildTestServer();
    const cookie = await logIn(app, "victor");
    const response = await app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      principal: { kind: "user", organizationId: "org1", userId: "u-viewer", role: "viewer" },
      user: { id: "u-viewer", username: "victor" },
    });
  });

  it("returns the API client for a bearer token", async () => {
    app = await buildTestServer();
    const token = await getApiToken(app);
    const response = await app.inject({
      method: "GET",
      url: "/api/auth/me",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      principal: { kind: "api", organizationId: "org1", clientId: TEST_API_CLIENT.clientId, role: "admin" },
      user: null,
      organization: { id: "org1", name: null },
    });
  });

  it("answers 401 UNAUTHENTICATED without credentials or with a bad token", async () => {
    app = await buildTestServer();
    for (const headers of [{}, { authorization: "Bearer nope" }, { cookie: "parley_session=forged" }]) {
      const response = await app.inject({ method: "GET", url: "/api/auth/me", headers });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe("UNAUTHENTICATED");
    }
  });

  it("does not honour an API token planted in the session cookie", async () => {
    app = await buildTestServer();
    const token = await getApiToken(app);
    const response = await app.inject({
      method: "GET",
      url: "/api/auth/me",
      headers: { cookie: `parley_session=${token}` },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("requireRole", () => {
  it("answers 403 FORBIDDEN to a viewer and lets admins, owners and API clients through", async () => {
    app = await buildWithAdminRoute();
    const viewer = await app.inject({
      method: "GET",
      url: "/api/test/admin-only",
      headers: { cookie: await logIn(app, "victor") },
    });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().code).toBe("FORBIDDEN");
    for (const username of ["alice", "olivia"]) {
      const cookie = await logIn(app, username);
      const allowed = await app.inject({ method: "GET", url: "/api/test/admin-only", headers: { cookie } });
      expect(allowed.statusCode).toBe(200);
    }
    const api = await app.inject({
      method: "GET",
      url: "/api/test/admin-only",
      headers: { authorization: `Bearer ${await getApiToken(app)}` },
    });
    expect(api.json()).toEqual({ kind: "api" });
  });

  it("answers 401 before 403 when there is no principal", async () => {
    app = await buildWithAdminRoute();
    const response = await app.inject({ method: "GET", url: "/api/test/admin-only" });
    expect(response.statusCode).toBe(401);
  });
});

describe("POST /api/auth/logout", () => {
  it("expires the session cookie", async () => {
    app = await buildTestServer();
    const response = await app.inject({ method: "POST", url: "/api/auth/logout" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true });
    expect(String(response.headers["set-cookie"])).toMatch(/^parley_session=;.*Expires=Thu, 01 Jan 1970/);
  });
});

describe("POST /api/auth/api-token", () => {
  it("exchanges clientId + apiKey for a bearer JWT with the requested lifetime", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/api-token",
      payload: { clientId: TEST_API_CLIENT.clientId, apiKey: TEST_API_CLIENT.apiKey, ttlSec: 600 },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      success: true,
      tokenType: "Bearer",
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      expiresInSec: 600,
      clientId: TEST_API_CLIENT.clientId,
    });
    const claims = JSON.parse(Buffer.from(body.accessToken.split(".")[1], "base64url").toString("utf8"));
    expect(claims.exp - claims.iat).toBe(600);
  });

  it("answers a wrong key with 401 INVALID_CREDENTIALS", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/api-token",
      payload: { clientId: TEST_API_CLIENT.clientId, apiKey: "sk_wrong" },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("INVALID_CREDENTIALS");
  });

  it("is rate-limited separately from login", async () => {
    app = await buildTestServer();
    for (let i = 0; i < 10; i++) {
      await app.inject({
        method: "POST",
        url: "/api/auth/api-token",
        payload: { clientId: "x", apiKey: "y" },
      });
    }
    const blocked = await app.inject({
      method: "POST",
      url: "/api/auth/api-token",
      payload: { clientId: "x", apiKey: "y" },
    });
    expect(blocked.statusCode).toBe(429);
    const login = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "alice", password: "alice-pw" },
    });
    expect(login.statusCode).toBe(200);
  });
});
