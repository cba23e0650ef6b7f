/**
 * Wires the store into the server: the auth functions ServerDeps needs, the resource route plugins,
 * the channel-secret box, and the first-start bootstrap of an organization and its owner.
 */
import { hkdfSync } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import { sql } from "kysely";
import {
  addMembership,
  createOrganization,
  createSecretBox,
  createUser,
  type Database,
  findApiClientByClientId,
  findUserByEmail,
  getMembershipRole,
  getOrganization,
  getUser,
  hasAnyUser,
  listMembershipsOfUser,
  type OrganizationRecord,
  type SecretBox,
  type UserRecord,
  withTransaction,
} from "../store/index.ts";
import { hashApiKey, verifyApiKey } from "./api-keys.ts";
import type { Config } from "./config.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import type { Role } from "./principal.ts";
import { createApiAccessRoutes } from "./routes/api-access.ts";
import { createBotRoutes } from "./routes/bots.ts";
import { createChannelRoutes } from "./routes/channels.ts";
import { createContactRoutes } from "./routes/contacts.ts";
import { createFlowAnalyticsRoutes } from "./routes/flow-analytics.ts";
import { createFlowGraphRoutes } from "./routes/flow-graph.ts";
import { createFlowVersionRoutes } from "./routes/flow-versions.ts";
import { createFlowRoutes } from "./routes/flows.ts";
import { createFlowActionRoutes } from "./routes/flows-actions.ts";
import { createMemberRoutes } from "./routes/organizations-members.ts";
import { createTemplateRoutes } from "./routes/templates.ts";
import type { ServerDeps, UserView } from "./server-deps.ts";
import type { ServiceContext } from "./services/context.ts";

export interface StoreDepsOptions {
  database: Database;
  config: Config;
  secretBox: SecretBox;
  /** The clock services use; Date.now by default. */
  now?: () => number;
}

export type StoreDeps = Pick<
  ServerDeps,
  "checkDatabase" | "authenticateUser" | "findUser" | "findOrganizationName" | "exchangeApiKey" | "plugins"
>;

// Compared against when the client id is unknown, so a miss costs the same as a wrong key.
const UNKNOWN_CLIENT_HASH = hashApiKey("parley-unknown-client");

/**
 * The store-backed parts of ServerDeps, with every resource route of this module as `plugins`.
 * @example buildServer({ config, metricsRegistry, ...createStoreDeps({ database, config, secretBox }) })
 */
export function createStoreDeps(options: StoreDepsOptions): StoreDeps {
  const { database } = options;
  const db = database.db;
  const ctx: ServiceContext = {
    db,
    secretBox: options.secretBox,
    publicUrl: options.config.server.publicUrl,
    now: options.now ?? Date.now,
  };
  return {
    async checkDatabase() {
      await sql`select 1`.execute(db);
      return true;
    },
    async authenticateUser(username, password) {
      const user = await findUserByEmail(db, username);
      if (!(await verifyPassword(password, user?.passwordHash ?? null)) || !user) return null;
      const [membership] = await listMembershipsOfUser(db, user.id);
      if (!membership) return null;
      return { user: toUserView(user, membership.role), organizationId: membership.organizationId };
    },
    async findUser(userId, organizationId) {
      const [user, role] = await Promise.all([
        getUser(db, userId),
        getMembershipRole(db, organizationId, userId),
      ]);
      return user && role ? toUserView(user, role) : null;
    },
    async findOrganizationName(organizationId) {
      return (await getOrganization(db, organizationId))?.name ?? null;
    },
    async exchangeApiKey(clientId, apiKey) {
      const client = await findApiClientByClientId(db, clientId);
      const matches = verifyApiKey(apiKey, client?.apiKeyHash ?? UNKNOWN_CLIENT_HASH);
      if (!client || !matches || !client.approved) return null;
      return { kind: "api", organizationId: client.organizationId, clientId: client.clientId, role: "admin" };
    },
    plugins: createResourcePlugins(ctx),
  };
}

/** The route plugins of the store-backed resources, for callers composing their own plugin list. */
export function createResourcePlugins(ctx: ServiceContext): FastifyPluginAsync[] {
  return [
    createFlowRoutes(ctx),
    createFlowActionRoutes(ctx),
    createFlowAnalyticsRoutes(ctx),
    createFlowVersionRoutes(ctx),
    createFlowGraphRoutes(ctx),
    createBotRoutes(ctx),
    createChannelRoutes(ctx),
    createContactRoutes(ctx),
    createTemplateRoutes(ctx),
    createApiAccessRoutes(ctx),
    createMemberRoutes(ctx),
  ];
}

/** The box sealing channel secrets, keyed by HKDF from the master key (never the token key itself). */
export function createChannelSecretBox(secretKey: Uint8Array): SecretBox {
  const key = hkdfSync("sha256", secretKey, new Uint8Array(0), "parley:channel-secrets:v1", 32);
  return createSecretBox(Buffer.from(key));
}

export interface BootstrapInput {
  name: string;
  adminEmail: string;
  adminPassword: string;
}

/**
 * On an empty database, creates the organization (with its default bot), the owner user and the
 * membership in one transaction. Does nothing and returns null once any user exists.
 */
export async function bootstrapOrganization(
  database: Database,
  input: BootstrapInput,
  at: number = Date.now(),
): Promise<{ organization: OrganizationRecord; user: UserRecord } | null> {
  if (await hasAnyUser(database.db)) return null;
  const passwordHash = await hashPassword(input.adminPassword);
  return withTransaction(database, async (trx) => {
    if (await hasAnyUser(trx)) return null;
    const organization = await createOrganization(trx, { name: input.name, at });
    const name = input.adminEmail.split("@")[0] ?? input.adminEmail;
    const user = await createUser(trx, { email: input.adminEmail, name, passwordHash, at });
    await addMembership(trx, { organizationId: organization.id, userId: user.id, role: "owner", at });
    return { organization, user };
  });
}

function toUserView(user: UserRecord, role: Role): UserView {
  return { id: user.id, username: user.email, displayName: user.name, email: user.email, role };
}
