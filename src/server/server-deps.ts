/**
 * What buildServer needs from the outside: configuration, observability, and the store-backed
 * functions behind authentication. The CLI wires real implementations; tests pass fakes.
 */
import type { FastifyBaseLogger, FastifyPluginAsync } from "fastify";
import type { Registry } from "prom-client";
import type { Config } from "./config.ts";
import type { Principal, Role } from "./principal.ts";

/** The user as the API shows it (seed 003's login response `user`); role is the membership role. */
export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  email: string | null;
  role: Role;
}

/** A successful password check: the user and the organization the session is opened in. */
export interface AuthenticatedUser {
  user: UserView;
  organizationId: string;
}

export type ApiPrincipal = Extract<Principal, { kind: "api" }>;

export interface ServerDeps {
  config: Config;
  /** A pino logger; default: pino at config.server.logLevel. Pass `pino({ level: "silent" })` in tests. */
  logger?: FastifyBaseLogger;
  /** True when the database answers; a throw counts as down. Backs GET /api/health. */
  checkDatabase(): Promise<boolean>;
  /** The prom-client registry served at GET /metrics (see createMetrics in metrics.ts). */
  metricsRegistry: Registry;
  /** Checks a username/password (argon2id via verifyPassword); null when wrong, unknown or disabled. */
  authenticateUser(username: string, password: string): Promise<AuthenticatedUser | null>;
  /** The user behind a session, in that organization; null when removed (the session then ends). */
  findUser(userId: string, organizationId: string): Promise<UserView | null>;
  /** The organization's display name, for GET /api/auth/me; null when unknown. */
  findOrganizationName?(organizationId: string): Promise<string | null>;
  /** Checks an approved API client's key (verifyApiKey); null when wrong, unknown or not approved. */
  exchangeApiKey(clientId: string, apiKey: string): Promise<ApiPrincipal | null>;
  /** Route plugins registered after auth and error handling, e.g. the store-backed resources. */
  plugins?: readonly FastifyPluginAsync[];
  /** Session cookie lifetime; default 12 hours. */
  sessionTtlSec?: number;
}
