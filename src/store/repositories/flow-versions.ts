/**
 * Publishing: each publish snapshots the draft graph as an immutable, numbered flow version; running
 * executions keep the version they started on. Trigger matching reads only published, active flows.
 */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import type { FlowGraph } from "../../core/flow.ts";
import { fromFlag, parseJson, toFlag, toJson } from "../columns.ts";
import { prepareQuery } from "../prepared-query.ts";
import type { FlowRecord, FlowVersionRecord, TriggerFlow } from "../records.ts";
import type { FlowVersionsTable } from "../schema.ts";
import { runInTransaction, type StoreDb } from "../transaction.ts";
import { getFlow, toFlowRecord } from "./flows.ts";

/**
 * Snapshots the flow's current graph as version max+1 and makes it the published, active version.
 * The draft's updated_at is left alone so an open builder can keep saving. Null when not found.
 */
export async function publishFlow(
  db: StoreDb,
  organizationId: string,
  id: string,
  triggerKeywords: string[],
  userId?: string | null,
  at: number = Date.now(),
): Promise<{ flow: FlowRecord; version: FlowVersionRecord } | null> {
  return runInTransaction(db, async (trx) => {
    const flow = await getFlow(trx, organizationId, id);
    if (!flow) return null;
    const latest = await trx
      .selectFrom("flow_versions")
      .select((eb) => eb.fn.max("version").as("version"))
      .where("flow_id", "=", id)
      .where("version", ">", 0)
      .executeTakeFirst();
    const versionRow = await trx
      .insertInto("flow_versions")
      .values({
        id: randomUUID(),
        organization_id: organizationId,
        flow_id: id,
        version: Number(latest?.version ?? 0) + 1,
        graph_json: toJson(flow.graph),
        created_at: at,
        created_by: userId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const flowRow = await trx
      .updateTable("flows")
      .set({
        is_published: toFlag(true),
        is_active: toFlag(true),
        published_version_id: versionRow.id,
        published_at: at,
        trigger_keywords_json: toJson(triggerKeywords),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { flow: toFlowRecord(flowRow), version: toFlowVersionRecord(versionRow) };
  });
}

/** Stops new executions from starting on this flow (running ones continue); null when not found. */
export async function unpublishFlow(
  db: StoreDb,
  organizationId: string,
  id: string,
): Promise<FlowRecord | null> {
  const row = await db
    .updateTable("flows")
    .set({ is_published: toFlag(false) })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row ? toFlowRecord(row) : null;
}

/**
 * Published and active flows that may start for a message: those of `botId` plus the organization-level
 * ones (no bot); with `botId` null, only the organization-level ones.
 */
export async function listActiveFlowsForTrigger(
  db: StoreDb,
  organizationId: string,
  botId: string | null,
): Promise<TriggerFlow[]> {
  const { rows } =
    botId === null
      ? await selectTriggerFlowsWithoutBot(db, organizationId)
      : await selectTriggerFlowsOfBot(db, organizationId, botId);
  return rows.flatMap((row) =>
    row.published_version_id === null
      ? []
      : [
          {
            id: row.id,
            botId: row.bot_id,
            name: row.name,
            isDefault: fromFlag(row.is_default),
            publishedVersionId: row.published_version_id,
            triggerKeywords: parseJson<string[]>(row.trigger_keywords_json),
          },
        ],
  );
}

function selectTriggerFlows(db: StoreDb, organizationId: string) {
  return db
    .selectFrom("flows")
    .select(["id", "bot_id", "name", "is_default", "published_version_id", "trigger_keywords_json"])
    .where("organization_id", "=", organizationId)
    .where("is_active", "=", toFlag(true))
    .where("is_published", "=", toFlag(true))
    .where("published_version_id", "is not", null)
    .orderBy("created_at")
    .orderBy("id");
}

// Every new conversation routes through these, so they are compiled once.
const selectTriggerFlowsWithoutBot = prepareQuery((db, organizationId: string) =>
  selectTriggerFlows(db, organizationId).where("bot_id", "is", null),
);

const selectTriggerFlowsOfBot = prepareQuery((db, organizationId: string, botId: string) =>
  selectTriggerFlows(db, organizationId).where((eb) =>
    eb.or([eb("bot_id", "=", botId), eb("bot_id", "is", null)]),
  ),
);

/** Finds one flow version of an organization. */
export async function getFlowVersion(
  db: StoreDb,
  organizationId: string,
  versionId: string,
): Promise<FlowVersionRecord | null> {
  const row = await db
    .selectFrom("flow_versions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", versionId)
    .executeTakeFirst();
  return row ? toFlowVersionRecord(row) : null;
}

/** A flow's published versions, newest first (simulator snapshots excluded). */
export async function listFlowVersions(
  db: StoreDb,
  organizationId: string,
  flowId: string,
): Promise<FlowVersionRecord[]> {
  const rows = await db
    .selectFrom("flow_versions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("flow_id", "=", flowId)
    .where("version", ">", 0)
    .orderBy("version", "desc")
    .execute();
  return rows.map(toFlowVersionRecord);
}

function toFlowVersionRecord(row: Selectable<FlowVersionsTable>): FlowVersionRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    flowId: row.flow_id,
    version: row.version,
    graph: parseJson<FlowGraph>(row.graph_json),
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** Finds a flow's published version by its number (1, 2, ...); snapshots are never found. */
export async function getFlowVersionByNumber(
  db: StoreDb,
  organizationId: string,
  flowId: string,
  version: number,
): Promise<FlowVersionRecord | null> {
  const row = await db
    .selectFrom("flow_versions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("flow_id", "=", flowId)
    .where("version", "=", version)
    .where("version", ">", 0)
    .executeTakeFirst();
  return row ? toFlowVersionRecord(row) : null;
}

/**
 * Freezes the current draft graph for the simulator as a version numbered below zero (-1, -2, ...),
 * made by "simulator": an execution needs an immutable version, yet testing must not publish. An
 * unchanged draft gets its newest snapshot back. Null when the flow is not found.
 */
export async function createFlowSnapshot(
  db: StoreDb,
  organizationId: string,
  flowId: string,
  at: number = Date.now(),
): Promise<FlowVersionRecord | null> {
  return runInTransaction(db, async (trx) => {
    const flow = await getFlow(trx, organizationId, flowId);
    if (!flow) return null;
    const lowest = await trx
      .selectFrom("flow_versions")
      .selectAll()
      .where("flow_id", "=", flowId)
      .where("version", "<", 0)
      .orderBy("version")
      .limit(1)
      .executeTakeFirst();
    // An unchanged draft reuses its newest snapshot, so repeated test runs do not pile up rows.
    if (lowest && lowest.graph_json === toJson(flow.graph)) return toFlowVersionRecord(lowest);
    const row = await trx
      .insertInto("flow_versions")
      .values({
        id: randomUUID(),
        organization_id: organizationId,
        flow_id: flowId,
        version: Math.min(0, lowest?.version ?? 0) - 1,
        graph_json: toJson(flow.graph),
        created_at: at,
        created_by: "simulator",
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toFlowVersionRecord(row);
  });
}
