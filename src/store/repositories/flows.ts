/**
 * Flow drafts: create, read, list, update with optimistic concurrency (updated_at is the version the
 * builder read), delete, and the execution counter. Publishing lives in flow-versions.ts.
 */
import { randomUUID } from "node:crypto";
import { type Selectable, sql } from "kysely";
import type { FlowGraph } from "../../core/flow.ts";
import { escapeLike, fromFlag, parseJson, toFlag, toJson } from "../columns.ts";
import { prepareQuery } from "../prepared-query.ts";
import type { FlowRecord, Page } from "../records.ts";
import type { FlowsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewFlow {
  organizationId: string;
  botId?: string | null;
  name: string;
  description?: string;
  graph: FlowGraph;
  isActive?: boolean;
  isDefault?: boolean;
  triggerKeywords?: string[];
  at: number;
}

export interface FlowPatch {
  botId?: string | null;
  name?: string;
  description?: string;
  graph?: FlowGraph;
  isActive?: boolean;
  isDefault?: boolean;
  triggerKeywords?: string[];
  at: number;
}

export interface FlowFilter {
  botId?: string;
  isActive?: boolean;
  isPublished?: boolean;
  /** Case-insensitive part of the name. */
  search?: string;
  page?: number;
  pageSize?: number;
}

/** Creates a draft flow. */
export async function createFlow(db: StoreDb, flow: NewFlow): Promise<FlowRecord> {
  const row = await db
    .insertInto("flows")
    .values({
      id: randomUUID(),
      organization_id: flow.organizationId,
      bot_id: flow.botId ?? null,
      name: flow.name,
      description: flow.description ?? "",
      graph_json: toJson(flow.graph),
      is_active: toFlag(flow.isActive ?? false),
      is_published: toFlag(false),
      is_default: toFlag(flow.isDefault ?? false),
      trigger_keywords_json: toJson(flow.triggerKeywords ?? []),
      execution_count: 0,
      created_at: flow.at,
      updated_at: flow.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFlowRecord(row);
}

/** Finds one flow of an organization. */
export async function getFlow(db: StoreDb, organizationId: string, id: string): Promise<FlowRecord | null> {
  const row = await db
    .selectFrom("flows")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toFlowRecord(row) : null;
}

/** Lists an organization's flows, newest first, one page at a time. */
export async function listFlows(
  db: StoreDb,
  organizationId: string,
  filter: FlowFilter = {},
): Promise<Page<FlowRecord>> {
  let query = db.selectFrom("flows").where("organization_id", "=", organizationId);
  if (filter.botId !== undefined) query = query.where("bot_id", "=", filter.botId);
  if (filter.isActive !== undefined) query = query.where("is_active", "=", toFlag(filter.isActive));
  if (filter.isPublished !== undefined) query = query.where("is_published", "=", toFlag(filter.isPublished));
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
    query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
  }
  const pageSize = filter.pageSize ?? 50;
  const offset = ((filter.page ?? 1) - 1) * pageSize;
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    query.selectAll().orderBy("created_at", "desc").orderBy("id").limit(pageSize).offset(offset).execute(),
  ]);
  return { total: Number(count.total), rows: rows.map(toFlowRecord) };
}

/**
 * Applies a patch. With `expectedUpdatedAt`, the write happens only if the flow is still at that
 * version, else "conflict". updated_at always moves forward, even within one millisecond.
 */
export async function updateFlow(
  db: StoreDb,
  organizationId: string,
  id: string,
  patch: FlowPatch,
  expectedUpdatedAt?: number,
): Promise<FlowRecord | "conflict" | null> {
  let query = db
    .updateTable("flows")
    .set({
      ...(patch.botId !== undefined && { bot_id: patch.botId }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.graph !== undefined && { graph_json: toJson(patch.graph) }),
      ...(patch.isActive !== undefined && { is_active: toFlag(patch.isActive) }),
      ...(patch.isDefault !== undefined && { is_default: toFlag(patch.isDefault) }),
      ...(patch.triggerKeywords !== undefined && { trigger_keywords_json: toJson(patch.triggerKeywords) }),
      updated_at: sql<number>`case when updated_at >= ${patch.at} then updated_at + 1 else ${patch.at} end`,
    })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id);
  if (expectedUpdatedAt !== undefined) query = query.where("updated_at", "=", expectedUpdatedAt);
  const row = await query.returningAll().executeTakeFirst();
  if (row) return toFlowRecord(row);
  if (expectedUpdatedAt === undefined) return null;
  return (await getFlow(db, organizationId, id)) ? "conflict" : null;
}

/** Deletes a flow with its versions, executions and leads; false when not found. */
export async function deleteFlow(db: StoreDb, organizationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("flows")
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Counts one more execution of a flow (runtime, inside the step transaction). */
export async function incrementExecutionCount(db: StoreDb, flowId: string, at: number): Promise<void> {
  await countExecution(db, flowId, at);
}

const countExecution = prepareQuery((db, flowId: string, at: number) =>
  db
    .updateTable("flows")
    .set((eb) => ({ execution_count: eb("execution_count", "+", 1), last_executed_at: at }))
    .where("id", "=", flowId),
);

/** Maps a flows row to its record (also used by flow-versions.ts). */
export function toFlowRecord(row: Selectable<FlowsTable>): FlowRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    botId: row.bot_id,
    name: row.name,
    description: row.description,
    graph: parseJson<FlowGraph>(row.graph_json),
    isActive: fromFlag(row.is_active),
    isPublished: fromFlag(row.is_published),
    isDefault: fromFlag(row.is_default),
    triggerKeywords: parseJson<string[]>(row.trigger_keywords_json),
    publishedVersionId: row.published_version_id,
    executionCount: row.execution_count,
    lastExecutedAt: row.last_executed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}
