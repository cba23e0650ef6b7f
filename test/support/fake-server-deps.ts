/**
 * Test fixtures for server tests: a config in a temp dir and in-memory fakes of the store-backed deps,
 * so route tests run with app.inject() and no database.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { buildServer } from "../../src/server/build-server.ts";
import { loadConfig } from "../../src/server/config.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import type { Role } from "../../src/server/principal.ts";
import type { ServerDeps, UserView } from "../../src/server/server-deps.ts";

export const TEST_SECRET_KEY = "11".repeat(32);
export const TEST_API_CLIENT = { clientId: "parley_client1", apiKey: "sk_test_key", organizationId: "org1" };

const USERS: { user: UserView; password: string; organizationId: string }[] = [
  fakeUser("u-owner", "olivia", "owner"),
  fakeUser("u-admin", "alice", "admin"),
  fakeUser("u-viewer", "victor", "viewer"),
];

/** Builds a server over fake deps; `overrides` replace single deps (e.g. checkDatabase). */
export async function buildTestServer(overrides: Partial<ServerDeps> = {}): Promise<FastifyInstance> {
  const cwd = mkdtempSync(join(tmpdir(), "parley-server-"));
  const config = loadConfig({ PARLEY_SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: "silent" }, { cwd });
  const deps: ServerDeps = {
    config,
    logger: pino({ level: "silent" }),
    checkDatabase: async () => true,
    metricsRegistry: createMetrics().registry,
    authenticateUser: async (username, password) => {
      const found = USERS.find((u) => u.user.username === username && u.password === password);
      return found ? { user: found.user, organizationId: found.organizationId } : null;
    },
    findUser: async (userId, organizationId) =>
      USERS.find((u) => u.user.id === userId && u.organizationId === organizationId)?.user ?? null,
    exchangeApiKey: async (clientId, apiKey) =>
      clientId === TEST_API_CLIENT.clientId && apiKey === TEST_API_CLIENT.apiKey
        ? { kind: "api", organizationId: TEST_API_CLIENT.organizationId, clientId, role: "admin" }
        : null,
    ...overrides,
  };
  return buildServer(deps);
}

/** Logs in through the API and returns the `name=value` cookie pair to send back. */
export async function logIn(
  app: FastifyInstance,
  username: string,
  password = `${username}-pw`,
): Promise<string> {
  const response = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username, password },
  });
  const cookie = response.cookies.find((c) => c.name === "parley_session");
  if (response.statusCode !== 200 || !cookie)
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return `${cookie.name}=${cookie.value}`;
}

function fakeUser(id: string, username: string, role: Role) {
  return {
    user: { id, username, displayName: username, email: `${username}@example.test`, role },
    password: `${username}-pw`,
    organizationId: "org1",
  };
}
