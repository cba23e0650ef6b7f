/**
 * `parley user create`: adds a user to an organization from the command line, e.g. to recover from a
 * lost owner password on a self-hosted install. On an empty database the user founds the organization.
 */
import { parseArgs } from "node:util";
import { ParleyError } from "../core/errors.ts";
import { ROLES, type Role } from "../server/principal.ts";
import { addMember } from "../server/services/members.ts";
import { bootstrapOrganization, createChannelSecretBox } from "../server/store-deps.ts";
import { type Database, getOrganization } from "../store/index.ts";
import { CliError, type CliIo, loadCliConfig, USAGE_EXIT_CODE, withMigratedDatabase } from "./cli-support.ts";

const MIN_PASSWORD_LENGTH = 12;

/** Parses `--email --password --role [--org]` and creates the user; resolves to the exit code. */
export async function runUserCreate(args: string[], io: CliIo): Promise<number> {
  const input = parseUserArgs(args);
  const config = loadCliConfig(io);
  const secretBox = createChannelSecretBox(config.security.secretKey);
  return withMigratedDatabase(config, async (database) => {
    const organizationId = input.org ?? (await findFirstOrganization(database));
    if (!organizationId) {
      const created = await bootstrapOrganization(database, {
        name: "My organization",
        adminEmail: input.email,
        adminPassword: input.password,
      });
      if (!created) throw new CliError("Users exist but no organization does; pass --org <id>.");
      io.out(`Created the organization ${created.organization.id} with ${input.email} as its owner.`);
      return 0;
    }
    if (!(await getOrganization(database.db, organizationId))) {
      throw new CliError(`No organization has the id ${organizationId}.`);
    }
    const ctx = { db: database.db, secretBox, publicUrl: config.server.publicUrl, now: Date.now };
    try {
      await addMember(ctx, organizationId, "owner", input);
    } catch (error) {
      if (error instanceof ParleyError) throw new CliError(error.message);
      throw error;
    }
    io.out(`Created ${input.email} as ${input.role} of organization ${organizationId}.`);
    return 0;
  });
}

function parseUserArgs(args: string[]): { email: string; password: string; role: Role; org?: string } {
  let values: { email?: string; password?: string; role?: string; org?: string };
  try {
    values = parseArgs({
      args,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        role: { type: "string" },
        org: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), USAGE_EXIT_CODE);
  }
  const { email, password, role, org } = values;
  const problems: string[] = [];
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) problems.push("--email must be an e-mail address");
  if (!password || password.length < MIN_PASSWORD_LENGTH) {
    problems.push(`--password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const knownRole = ROLES.find((known) => known === role);
  if (!knownRole) problems.push(`--role must be one of ${ROLES.join(", ")}`);
  if (problems.length > 0 || !email || !password || !knownRole) {
    throw new CliError(`Cannot create the user:\n  - ${problems.join("\n  - ")}`, USAGE_EXIT_CODE);
  }
  return { email, password, role: knownRole, ...(org ? { org } : {}) };
}

async function findFirstOrganization(database: Database): Promise<string | undefined> {
  const first = await database.db
    .selectFrom("organizations")
    .select("id")
    .orderBy("created_at")
    .orderBy("id")
    .executeTakeFirst();
  return first?.id;
}
