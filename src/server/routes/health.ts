/**
 * Liveness and metrics: GET /api/health checks the database, GET /metrics serves Prometheus text.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ServerDeps } from "../server-deps.ts";

const healthSchema = z.object({ status: z.enum(["ok", "error"]), db: z.enum(["ok", "down"]) });

/** Registers GET /api/health and GET /metrics. */
export function createHealthRoutes(
  deps: Pick<ServerDeps, "checkDatabase" | "metricsRegistry">,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/health",
      {
        schema: {
          tags: ["system"],
          summary: "Liveness and database check",
          response: { 200: healthSchema, 503: healthSchema },
        },
      },
      async (request, reply) => {
        const up = await deps.checkDatabase().catch((error: unknown) => {
          request.log.warn({ err: error }, "database check failed");
          return false;
        });
        return up
          ? { status: "ok" as const, db: "ok" as const }
          : reply.code(503).send({ status: "error", db: "down" });
      },
    );

    app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
      const text = await deps.metricsRegistry.metrics();
      return reply.type(deps.metricsRegistry.contentType).send(text);
    });
  };
}
