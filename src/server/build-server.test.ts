import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildTestServer } from "../../test/support/fake-server-deps.ts";
import { ParleyError } from "../core/errors.ts";
import { createMetrics } from "./metrics.ts";

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("buildServer", () => {
  it("answers health ok when the database is up", async () => {
    app = await buildTestServer();
    const response = await app.inject({ method: "GET", url: "/api/health" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", db: "ok" });
    expect(response.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 503 with db down when the check fails or throws", async () => {
    app = await buildTestServer({ checkDatabase: async () => false });
    const down = await app.inject({ method: "GET", url: "/api/health" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: "error", db: "down" });
    await app.close();
    app = await buildTestServer({ checkDatabase: () => Promise.reject(new Error("boom")) });
    expect((await app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(503);
  });

  it("echoes a well-formed x-request-id and replaces a malformed one", async () => {
    app = await buildTestServer();
    const kept = await app.inject({
      method: "GET",
      url: "/api/health",
      headers: { "x-request-id": "abc-123" },
    });
    expect(kept.headers["x-request-id"]).toBe("abc-123");
    const replaced = await app.inject({
      method: "GET",
      url: "/api/health",
      headers: { "x-request-id": "a b\nc" },
    });
    expect(replaced.headers["x-request-id"]).not.toBe("a b\nc");
  });

  it("serves the Prometheus registry at /metrics", async () => {
    const metrics = createMetrics();
    metrics.inboundAccepted.inc(3);
    metrics.outboundFailed.inc({ code: "WA_RECIPIENT_UNAVAILABLE" });
    app = await buildTestServer({ metricsRegistry: metrics.registry });
    const response = await app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.body).toContain("parley_inbound_accepted_total 3");
    expect(response.body).toContain('parley_outbound_failed_total{code="WA_RECIPIENT_UNAVAILABLE"} 1');
    expect(response.body).toContain("# TYPE parley_step_duration_seconds histogram");
    expect(response.body).toContain("# TYPE parley_queue_depth gauge");
    expect(response.body).toContain("# TYPE parley_executions gauge");
  });

  it("answers malformed JSON with 400 INVALID_JSON", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: '{"username": "alice",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "The body is not valid JSON.", code: "INVALID_JSON" });
  });

  it("rejects prototype poisoning as INVALID_JSON", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: '{"username":"a","password":"b","__proto__":{"admin":true}}',
    });
    expect(response.json().code).toBe("INVALID_JSON");
  });

  it("answers a body over 1 MiB with 413 PAYLOAD_TOO_LARGE", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ username: "a", password: "x".repeat(1_100_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("names each invalid field in a 400 VALIDATION_FAILED", async () => {
    app = await buildTestServer();
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/api-token",
      payload: { clientId: "", ttlSec: 5 },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe("VALIDATION_FAILED");
    const paths = body.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["body.apiKey", "body.clientId", "body.ttlSec"]);
    for (const detail of body.details) expect(typeof detail.message).toBe("string");
  });

  it("answers an unknown route with 404 NOT_FOUND", async () => {
    app = await buildTestServer();
    const response = await app.inject({ method: "GET", url: "/api/nope?x=1" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: "No route GET /api/nope", code: "NOT_FOUND" });
  });

  it("maps a ParleyError to its status and hides unexpected errors behind 500 INTERNAL_ERROR", async () => {
    app = await buildTestServer({
      plugins: [
        async (child) => {
          child.get("/api/test/conflict", async () => {
            throw new ParleyError("CONFLICT", "Version 3 is stale.", { currentVersion: 4 });
          });
          child.get("/api/test/crash", async () => {
            throw new Error("secret database password in stack");
          });
        },
      ],
    });
    const conflict = await app.inject({ method: "GET", url: "/api/test/conflict" });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({
      error: "Version 3 is stale.",
      code: "CONFLICT",
      details: { currentVersion: 4 },
    });
    const crash = await app.inject({ method: "GET", url: "/api/test/crash" });
    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toEqual({
      error: "An unexpected error; it has been logged.",
      code: "INTERNAL_ERROR",
    });
    expect(crash.body).not.toContain("secret");
  });

  it("keeps the raw body bytes on routes that ask for them", async () => {
    app = await buildTestServer({
      plugins: [
        async (child) => {
          child.post("/api/test/webhook", { config: { rawBody: true } }, async (request) => ({
            raw: request.rawBody?.toString("utf8"),
          }));
          child.post("/api/test/plain", async (request) => ({ hasRaw: request.rawBody !== undefined }));
        },
      ],
    });
    const payload = '{ "b": 1,  "a": [2] }';
    const headers = { "content-type": "application/json; charset=utf-8" };
    const webhook = await app.inject({ method: "POST", url: "/api/test/webhook", headers, payload });
    expect(webhook.json()).toEqual({ raw: payload });
    const plain = await app.inject({ method: "POST", url: "/api/test/plain", headers, payload });
    expect(plain.json()).toEqual({ hasRaw: false });
  });

  it("serves an OpenAPI 3 document at /docs/json listing the auth routes, and the UI at /docs", async () => {
    app = await buildTestServer();
    const response = await app.inject({ method: "GET", url: "/docs/json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      "/api/auth/login",
      "/api/auth/logout",
      "/api/auth/me",
      "/api/auth/api-token",
      "/api/health",
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(doc.paths["/api/auth/login"].post.requestBody.content["application/json"].schema.required).toEqual(
      ["username", "password"],
    );
    expect(doc.paths).not.toHaveProperty(["/metrics"]);
    const ui = await app.inject({ method: "GET", url: "/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers["content-type"]).toMatch(/text\/html/);
  });

  it("leaves out the request lines of routes with requestLogging: false, but still logs their errors", async () => {
    const lines: { msg: string; url?: string; code?: string }[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        const line = JSON.parse(String(chunk));
        lines.push({ msg: line.msg, url: line.req?.url, code: line.code });
        done();
      },
    });
    const plugin = async (instance: FastifyInstance) => {
      instance.get("/quiet", { config: { requestLogging: false } }, async () => ({ ok: true }));
      instance.get("/quiet-failing", { config: { requestLogging: false } }, async () => {
        throw new ParleyError("NOT_FOUND");
      });
    };
    app = await buildTestServer({ logger: pino({ level: "info" }, stream), plugins: [plugin] });
    for (const url of ["/quiet", "/quiet-failing", "/api/health"]) await app.inject({ method: "GET", url });
    expect(lines.filter((line) => line.msg === "incoming request").map((line) => line.url)).toEqual([
      "/api/health",
    ]);
    expect(lines.filter((line) => line.code === "NOT_FOUND")).toHaveLength(1);
  });
});
