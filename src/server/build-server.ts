/**
 * The Fastify factory: logging, request ids, zod validation and OpenAPI, JSON parsing with the raw
 * body kept for signed webhooks, error shapes, cookies, auth and rate limits. Never listens; the CLI does.
 */
import { randomUUID } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { ParleyError } from "../core/errors.ts";
import { installAuth, SESSION_COOKIE } from "./auth.ts";
import { installErrorHandlers } from "./error-handler.ts";
import { createAuthRoutes } from "./routes/auth.ts";
import { createHealthRoutes } from "./routes/health.ts";
import type { ServerDeps } from "./server-deps.ts";
import { deriveTokenKey } from "./tokens.ts";

export type { ServerDeps } from "./server-deps.ts";

/** 1 MiB: the largest JSON body any route accepts (WhatsApp webhook batches stay far below it). */
export const BODY_LIMIT_BYTES = 1_048_576;
const DEFAULT_SESSION_TTL_SEC = 12 * 60 * 60;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module "fastify" {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, kept only on routes with `config: { rawBody: true }` (signed webhooks). */
    rawBody?: Buffer;
  }
  interface FastifyContextConfig {
    rawBody?: boolean;
    /** false: no "incoming request" / "request completed" lines for this route (errors are still logged). */
    requestLogging?: boolean;
  }
}

/** Builds the HTTP server with every plugin and route registered; call `listen` on the result to serve. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const secureCookie = config.server.publicUrl?.startsWith("https://") ?? false;
  const tokenKey = deriveTokenKey(config.security.secretKey);
  const app = Fastify({
    ...(deps.logger
      ? { loggerInstance: deps.logger }
      : {
          logger: {
            level: config.server.logLevel,
            redact: ["req.headers.authorization", "req.headers.cookie"],
          },
        }),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: toTrustProxy(config.server.trustProxy),
    logController: new LogController({ disableRequestLogging: isRequestLoggingOff }),
    requestIdHeader: false,
    genReqId: (request) => pickRequestId(request.headers["x-request-id"]),
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  installJsonParser(app);
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false, errorResponseBuilder: buildRateLimitError });
  await registerOpenApi(app, config.server.publicUrl);
  installAuth(app, { tokenKey, secureCookie });

  const sessionTtlSec = deps.sessionTtlSec ?? DEFAULT_SESSION_TTL_SEC;
  await app.register(createHealthRoutes(deps));
  await app.register(createAuthRoutes({ deps, tokenKey, sessionTtlSec, secureCookie }));
  for (const plugin of deps.plugins ?? []) await app.register(plugin);
  return app;
}

/** Parses JSON with Fastify's prototype-poisoning guard, answering INVALID_JSON instead of a bare 400. */
function installJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
    if (request.routeOptions.config.rawBody) request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    parseJson(request, raw.toString("utf8"), (error, value) => {
      if (error) return done(new ParleyError("INVALID_JSON"), undefined);
      done(null, value);
    });
  });
}

async function registerOpenApi(app: FastifyInstance, publicUrl: string | undefined): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Parley API",
        version: "0.1.0",
        description: 'Errors are `{ "error": "human message", "code": "STABLE_CODE" }`; see docs/errors.md.',
      },
      servers: publicUrl ? [{ url: publicUrl }] : [],
      tags: [
        { name: "flows", description: "Flow drafts, seed 000's actions, versions, export/import" },
        { name: "flow graph", description: "Seed 001's nodes and edges of a flow" },
        { name: "bots", description: "Bots grouping channels and flows" },
        { name: "channels", description: "WhatsApp, Telegram and web connections; credentials write-only" },
        { name: "contacts", description: "People on a channel" },
        { name: "templates", description: "WhatsApp templates and fallback groups" },
        { name: "settings", description: "API access and organization members" },
      ],
      components: {
        securitySchemes: {
          sessionCookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
          bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
}

function buildRateLimitError(_request: FastifyRequest, context: { after: string }): ParleyError {
  return new ParleyError("RATE_LIMITED", `Too many requests; retry in ${context.after}.`);
}

/** Fastify accepts a hop count at runtime but its types do not; the function form is what it builds from one. */
function toTrustProxy(
  value: boolean | number | string[],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof value === "number" ? (_address, hop) => hop < value : value;
}

/** Routes opt out with `config: { requestLogging: false }`; guarded, as some error paths log before routing. */
function isRequestLoggingOff(request: FastifyRequest): boolean {
  return request.routeOptions?.config?.requestLogging === false;
}

function pickRequestId(header: string | string[] | undefined): string {
  return typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
}
