/**
 * A real server over a real, migrated database for route tests: SQLite in memory (or a temp dir),
 * two organizations with a user of every role each, and session cookies minted for any of them.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { pino } from "pino";
import { buildServer } from "../../src/server/build-server.ts";
import { loadConfig } from "../../src/server/config.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { hashPassword } from "../../src/server/passwords.ts";
import { ROLES, type Role } from "../../src/server/principal.ts";
import { createChannelSecretBox, createStoreDeps } from "../../src/server/store-deps.ts";
import { deriveTokenKey, signAccessToken } from "../../src/server/tokens.ts";
import {
  addMembership,
  createOrganization,
  createUser,
  type Database,
  migrateToLatest,
  openDatabase,
  type SecretBox,
} from "../../src/store/index.ts";

export const TEST_PASSWORD = "correct horse battery staple";
const SECRET_KEY_HEX = "22".repeat(32);

export interface SeededOrganization {
  id: string;
  name: string;
  /** User ids by role. */
  users: Record<Role, string>;
}

export type InjectMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface CallOptions {
  payload?: unknown;
  org?: "a" | "b";
  headers?: Record<string, string>;
}

export interface StoreTestServer {
  app: FastifyInstance;
  database: Database;
  secretBox: SecretBox;
  orgs: { a: SeededOrganization; b: SeededOrganization };
  /** A `Cookie` header value for the seeded user with `role` in organization `org` (default "a"). */
  cookie(role: Role, org?: "a" | "b"): Promise<string>;
  /** Injects a request as the seeded `role` of `org` (anonymous when role is null). */
  call(
    role: Role | null,
    method: InjectMethod,
    url: string,
    options?: CallOptions,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Opens a fresh database (`:memory:` unless `onDisk`), migrates, seeds and builds the server. */
export async function buildStoreTestServer(
  options: { onDisk?: boolean; publicUrl?: string } = {},
): Promise<StoreTestServer> {
  const dir = mkdtempSync(join(tmpdir(), "parley-routes-"));
  const config = loadConfig(
    {
      PARLEY_SECRET_KEY: SECRET_KEY_HEX,
      LOG_LEVEL: "silent",
      PARLEY_DATA_DIR: dir,
      ...(options.publicUrl && { PARLEY_PUBLIC_URL: options.publicUrl }),
    },
    { cwd: dir },
  );
  const database = await openDatabase({ url: options.onDisk ? undefined : ":memory:", dataDir: dir });
  await migrateToLatest(database.db);
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const a = await seedOrganization(database, "Acme", "acme", passwordHash);
  const b = await seedOrganization(database, "Globex", "globex", passwordHash);
  const secretBox = createChannelSecretBox(config.security.secretKey);
  const app = await buildServer({
    config,
    logger: pino({ level: "silent" }),
    metricsRegistry: createMetrics().registry,
    ...createStoreDeps({ database, config, secretBox }),
  });
  const tokenKey = deriveTokenKey(config.security.secretKey);
  const orgs = { a, b };
  async function cookie(role: Role, org: "a" | "b" = "a"): Promise<string> {
    const seeded = orgs[org];
    const token = await signAccessToken(
      { organizationId: seeded.id, userId: seeded.users[role], role },
      tokenKey,
      3600,
    );
    return `parley_session=${token}`;
  }
  return {
    app,
    database,
    secretBox,
    orgs,
    cookie,
    async call(role, method, url, options = {}) {
      const headers = { ...options.headers, ...(role && { cookie: await cookie(role, options.org) }) };
      return app.inject({
        method,
        url,
        headers,
        ...(options.payload !== undefined && { payload: JSON.stringify(options.payload) }),
        ...(options.payload !== undefined && { headers: { ...headers, "content-type": "application/json" } }),
      });
    },
    async close() {
      await app.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function seedOrganization(
  database: Database,
  name: string,
  slug: string,
  passwordHash: string,
): Promise<SeededOrganization> {
  const at = Date.now();
  const organization = await createOrganization(database.db, { name, at });
  const users: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const user = await createUser(database.db, {
      email: `${role}@${slug}.test`,
      name: role,
      passwordHash,
      at,
    });
    await addMembership(database.db, { organizationId: organization.id, userId: user.id, role, at });
    users[role] = user.id;
  }
  return { id: organization.id, name, users: requireAllRoles(users) };
}

function requireAllRoles(users: Partial<Record<Role, string>>): Record<Role, string> {
  const { owner, admin, editor, viewer } = users;
  if (!owner || !admin || !editor || !viewer) throw new Error("seeding missed a role");
  return { owner, admin, editor, viewer };
}

/** A small valid graph: a start node with keywords and one text reply. */
export function sampleGraph(keywords: string[] = [" Hello ", "HI"]) {
  return {
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords } },
      { id: "reply", type: "text", position: { x: 0, y: 120 }, data: { text: "Hi {{contact.name}}" } },
    ],
    edges: [{ id: "e1", source: "start", target: "reply" }],
  };
}
