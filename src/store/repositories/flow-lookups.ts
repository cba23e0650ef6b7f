/**
 * Flow lookups the operator API needs beyond the per-organization CRUD: names for list rows, and the
 * flow a public lead webhook names before its caller is known (its own auth settings decide).
 */
import type { FlowRecord } from "../records.ts";
import type { StoreDb } from "../transaction.ts";
import { toFlowRecord } from "./flows.ts";

/** Names of an organization's flows by id; unknown ids are left out. */
export async function getFlowNames(
  db: StoreDb,
  organizationId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("flows")
    .select(["id", "name"])
    .where("organization_id", "=", organizationId)
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * Finds a flow by id in any organization. Only for public webhooks addressed by flow id, which
 * then authenticate the caller against that flow's own settings before touching anything else.
 */
export async function findFlowById(db: StoreDb, id: string): Promise<FlowRecord | null> {
  const row = await db.selectFrom("flows").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toFlowRecord(row) : null;
}
