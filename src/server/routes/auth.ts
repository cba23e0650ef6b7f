/**
 * Seed 003's auth endpoints: password login into an HTTP-only session cookie, logout, the current
 * caller, and the clientId + apiKey exchange for a short-lived bearer JWT. Both exchanges are rate-limited.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ParleyError } from "../../core/errors.ts";
import { clearSessionCookie, requireRole, setSessionCookie } from "../auth.ts";
import { ROLES } from "../principal.ts";
import type { ServerDeps } from "../server-deps.ts";
import { signAccessToken } from "../tokens.ts";

/** Seed 003: 10 requests per 15 minutes per IP on login and token exchange. */
export const CREDENTIAL_RATE_LIMIT = { max: 10, timeWindow: 15 * 60 * 1000 };

const errorSchema = z.object({ error: z.string(), code: z.string(), details: z.unknown().optional() });
const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  role: z.enum(ROLES),
});
const principalSchema = z.object({
  kind: z.enum(["user", "api"]),
  organizationId: z.string(),
  userId: z.string().optional(),
  clientId: z.string().optional(),
  role: z.enum(ROLES),
});
const loginBody = z.object({
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});
const apiTokenBody = z.object({
  clientId: z.string().trim().min(1).max(200),
  apiKey: z.string().min(1).max(512),
  ttlSec: z.number().int().min(60).max(86_400).default(3600),
});
const apiTokenResponse = z.object({
  success: z.literal(true),
  tokenType: z.literal("Bearer"),
  accessToken: z.string(),
  expiresInSec: z.number().int(),
  clientId: z.string(),
});

export interface AuthRouteOptions {
  deps: Pick<ServerDeps, "authenticateUser" | "findUser" | "findOrganizationName" | "exchangeApiKey">;
  tokenKey: Uint8Array;
  sessionTtlSec: number;
  secureCookie: boolean;
}

/** Registers POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me and POST /api/auth/api-token. */
export function createAuthRoutes(options: AuthRouteOptions): FastifyPluginAsyncZod {
  const { deps, tokenKey, sessionTtlSec, secureCookie } = options;
  return async (app) => {
    app.post(
      "/api/auth/login",
      {
        config: { rateLimit: CREDENTIAL_RATE_LIMIT },
        schema: {
          tags: ["auth"],
          summary: "Log in with username and password; sets the HTTP-only session cookie",
          body: loginBody,
          response: { 200: z.object({ user: userSchema, organizationId: z.string() }), 401: errorSchema },
        },
      },
      async (request, reply) => {
        const found = await deps.authenticateUser(request.body.username, request.body.password);
        if (!found) throw new ParleyError("INVALID_CREDENTIALS");
        const subject = {
          organizationId: found.organizationId,
          userId: found.user.id,
          role: found.user.role,
        };
        setSessionCookie(
          reply,
          await signAccessToken(subject, tokenKey, sessionTtlSec),
          sessionTtlSec,
          secureCookie,
        );
        return { user: found.user, organizationId: found.organizationId };
      },
    );

    app.post(
      "/api/auth/logout",
      {
        schema: {
          tags: ["auth"],
          summary: "Clear the session cookie",
          response: { 200: z.object({ success: z.literal(true) }) },
        },
      },
      async (_request, reply) => {
        clearSessionCookie(reply, secureCookie);
        return { success: true as const };
      },
    );

    app.get(
      "/api/auth/me",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: ["auth"],
          summary: "The current caller: session user or API client",
          security: [{ sessionCookie: [] }, { bearerAuth: [] }],
          response: {
            200: z.object({
              principal: principalSchema,
              user: userSchema.nullable(),
              organization: z.object({ id: z.string(), name: z.string().nullable() }),
            }),
            401: errorSchema,
          },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        if (!principal) throw new ParleyError("UNAUTHENTICATED");
        const organization = {
          id: principal.organizationId,
          name: (await deps.findOrganizationName?.(principal.organizationId)) ?? null,
        };
        if (principal.kind === "api") return { principal, user: null, organization };
        const user = await deps.findUser(principal.userId, principal.organizationId);
        if (!user) {
          clearSessionCookie(reply, secureCookie);
          throw new ParleyError("UNAUTHENTICATED", "The session's user no longer exists.");
        }
        return { principal: { ...principal, role: user.role }, user, organization };
      },
    );

    app.post(
      "/api/auth/api-token",
      {
        config: { rateLimit: CREDENTIAL_RATE_LIMIT },
        schema: {
          tags: ["auth"],
          summary: "Exchange clientId + apiKey for a short-lived bearer JWT",
          body: apiTokenBody,
          response: { 200: apiTokenResponse, 401: errorSchema },
        },
      },
      async (request) => {
        const { clientId, apiKey, ttlSec } = request.body;
        const principal = await deps.exchangeApiKey(clientId, apiKey);
        if (!principal) throw new ParleyError("INVALID_CREDENTIALS");
        const subject = {
          organizationId: principal.organizationId,
          clientId: principal.clientId,
          role: principal.role,
        };
        const accessToken = await signAccessToken(subject, tokenKey, ttlSec);
        return {
          success: true as const,
          tokenType: "Bearer" as const,
          accessToken,
          expiresInSec: ttlSec,
          clientId: principal.clientId,
        };
      },
    );
  };
}
