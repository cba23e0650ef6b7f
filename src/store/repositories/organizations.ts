/** Organizations (tenants). Creating one also creates its default bot, so org-level flows need no bot. */
import { randomUUID } from "node:crypto";
import type { OrganizationRecord } from "../records.ts";
import { runInTransaction, type StoreDb } from "../transaction.ts";
import { createBot } from "./bots.ts";

export interface NewOrganization {
  name: string;
  at: number;
  /** Name of the default bot; the organization's name when omitted. */
  defaultBotName?: string;
}

/** Creates an organization and its default bot, atomically. */
export async function createOrganization(
  db: StoreDb,
  organization: NewOrganization,
): Promise<OrganizationRecord> {
  return runInTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("organizations")
      .values({ id: randomUUID(), name: organization.name, created_at: organization.at })
      .returningAll()
      .executeTakeFirstOrThrow();
    await createBot(trx, {
      organizationId: row.id,
      name: organization.defaultBotName ?? organization.name,
      isDefault: true,
      at: organization.at,
    });
    return { id: row.id, name: row.name, createdAt: row.created_at };
  });
}

/** Finds an organization by id. */
export async function getOrganization(db: StoreDb, id: string): Promise<OrganizationRecord | null> {
  const row = await db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
}
