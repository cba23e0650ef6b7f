/** Bots: named assistants grouping channels and flows; every organization has one default bot. */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { fromFlag, toFlag } from "../columns.ts";
import type { BotRecord } from "../records.ts";
import type { BotsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewBot {
  organizationId: string;
  name: string;
  description?: string;
  isDefault?: boolean;
  at: number;
}

/** Creates a bot. */
export async function createBot(db: StoreDb, bot: NewBot): Promise<BotRecord> {
  const row = await db
    .insertInto("bots")
    .values({
      id: randomUUID(),
      organization_id: bot.organizationId,
      name: bot.name,
      description: bot.description ?? "",
      is_default: toFlag(bot.isDefault ?? false),
      created_at: bot.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBotRecord(row);
}

/** Lists an organization's bots, the default first. */
export async function listBots(db: StoreDb, organizationId: string): Promise<BotRecord[]> {
  const rows = await db
    .selectFrom("bots")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("is_default", "desc")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map(toBotRecord);
}

/** Finds one bot of an organization. */
export async function getBot(db: StoreDb, organizationId: string, id: string): Promise<BotRecord | null> {
  const row = await db
    .selectFrom("bots")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toBotRecord(row) : null;
}

/** The organization's default bot (made with the organization). */
export async function getDefaultBot(db: StoreDb, organizationId: string): Promise<BotRecord | null> {
  const row = await db
    .selectFrom("bots")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("is_default", "=", toFlag(true))
    .orderBy("created_at")
    .limit(1)
    .executeTakeFirst();
  return row ? toBotRecord(row) : null;
}

function toBotRecord(row: Selectable<BotsTable>): BotRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    description: row.description,
    isDefault: fromFlag(row.is_default),
    createdAt: row.created_at,
  };
}

/** Renames or re-describes a bot; null when the organization has no such bot. */
export async function updateBot(
  db: StoreDb,
  organizationId: string,
  id: string,
  patch: { name?: string; description?: string },
): Promise<BotRecord | null> {
  if (patch.name === undefined && patch.description === undefined) return getBot(db, organizationId, id);
  const row = await db
    .updateTable("bots")
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
    })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row ? toBotRecord(row) : null;
}

/** Deletes a bot (its channels and flows keep existing, unassigned); false when not found. */
export async function deleteBot(db: StoreDb, organizationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("bots")
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
