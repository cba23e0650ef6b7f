/**
 * Resolves the caller of every request from an `Authorization: Bearer` JWT (API clients) or the
 * HTTP-only session cookie (users), and guards routes by role. Org scoping happens in the services.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { ParleyError } from "../core/errors.ts";
import { hasRole, type Principal, type Role } from "./principal.ts";
import { verifyAccessToken } from "./tokens.ts";

export const SESSION_COOKIE = "parley_session";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller, or null when no valid credential was presented. */
    principal: Principal | null;
  }
}

export interface AuthOptions {
  tokenKey: Uint8Array;
  /** Mark the cookie Secure (the public URL is https). */
  secureCookie: boolean;
}

/** Decorates `request.principal` on every request; call once on the root instance after @fastify/cookie. */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    request.principal = await resolvePrincipal(request, options.tokenKey);
  });
}

/**
 * A preHandler answering 401 UNAUTHENTICATED without a principal and 403 FORBIDDEN below `min`
 * (viewer < editor < admin < owner; API clients count as admin).
 * @example app.get("/api/flows", { preHandler: requireRole("viewer") }, handler)
 */
export function requireRole(min: Role): preHandlerAsyncHookHandler {
  return async (request) => {
    const principal = request.principal;
    if (!principal) throw new ParleyError("UNAUTHENTICATED");
    if (!hasRole(principal, min))
      throw new ParleyError("FORBIDDEN", `This action needs the ${min} role or above.`);
  };
}

/** Sets the HTTP-only, SameSite=Lax session cookie holding a signed user token. */
export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  maxAgeSec: number,
  secure: boolean,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: maxAgeSec,
  });
}

/** Expires the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}

async function resolvePrincipal(request: FastifyRequest, key: Uint8Array): Promise<Principal | null> {
  const header = request.headers.authorization;
  // An explicit Authorization header is the only credential considered, even when a cookie is present.
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ? verifyAccessToken(match[1], key) : null;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const principal = await verifyAccessToken(cookie, key);
  // The cookie only ever carries user sessions; an API token planted in it is not honoured.
  return principal?.kind === "user" ? principal : null;
}
