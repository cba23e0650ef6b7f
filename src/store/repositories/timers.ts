/**
 * Durable timers (execution timeouts, wait nodes): rows with a due time. Claiming flips pending→fired
 * in one statement, so each timer fires once however many schedulers poll at the same time.
 */
import { type Selectable, sql } from "kysely";
import type { TimerKind } from "../../core/execution.ts";
import { parseEnum } from "../columns.ts";
import { dialectOf } from "../dialect.ts";
import { prepareQuery, prepareRows } from "../prepared-query.ts";
import type { TimerRecord, TimerStatus } from "../records.ts";
import type { TimersTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

const TIMER_KINDS: readonly TimerKind[] = ["timeout", "wait", "http"];
const TIMER_STATUSES: readonly TimerStatus[] = ["pending", "fired", "cancelled"];

export interface NewTimer {
  /** The engine's timer id (from its schedule effect). */
  id: string;
  organizationId: string;
  executionId: string;
  contactId: string;
  kind: TimerKind;
  nodeId: string;
  dueAt: number;
  createdAt: number;
}

/** Inserts pending timers. */
export async function insertTimers(db: StoreDb, rows: NewTimer[]): Promise<void> {
  if (rows.length === 0) return;
  await insertPendingTimers(
    db,
    rows.map((row) => [
      row.id,
      row.organizationId,
      row.executionId,
      row.contactId,
      row.kind,
      row.nodeId,
      row.dueAt,
      row.createdAt,
    ]),
  );
}

const insertPendingTimers = prepareRows(
  (db, rows: [string, string, string, string, TimerKind, string, number, number][]) =>
    db.insertInto("timers").values(
      rows.map(([id, organizationId, executionId, contactId, kind, nodeId, dueAt, createdAt]) => ({
        id,
        organization_id: organizationId,
        execution_id: executionId,
        contact_id: contactId,
        kind,
        node_id: nodeId,
        due_at: dueAt,
        status: "pending",
        created_at: createdAt,
      })),
    ),
);

/** Cancels a pending timer; false when it had already fired or was cancelled. */
export async function cancelTimer(db: StoreDb, id: string): Promise<boolean> {
  const result = await cancelPendingTimer(db, id);
  return (result.numAffectedRows ?? 0n) > 0n;
}

const cancelPendingTimer = prepareQuery((db, id: string) =>
  db.updateTable("timers").set({ status: "cancelled" }).where("id", "=", id).where("status", "=", "pending"),
);

/** Cancels every pending timer of an execution (it finished or was reset); returns how many. */
export async function cancelTimersOfExecution(db: StoreDb, executionId: string): Promise<number> {
  const result = await db
    .updateTable("timers")
    .set({ status: "cancelled" })
    .where("execution_id", "=", executionId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Flips up to `limit` due pending timers to fired and returns exactly those, earliest first. On
 * PostgreSQL, rows another claimer holds are skipped (FOR UPDATE SKIP LOCKED); SQLite has one writer.
 */
export async function claimDueTimers(db: StoreDb, now: number, limit: number): Promise<TimerRecord[]> {
  let due = db
    .selectFrom("timers")
    .select("id")
    .where("status", "=", "pending")
    .where("due_at", "<=", now)
    .orderBy("due_at")
    .limit(limit);
  if (dialectOf(db) === "postgres") due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable("timers")
    .set({ status: "fired" })
    .where("id", "in", due)
    // Still pending when updated. Written as an expression so no index can serve it: otherwise SQLite
    // picks the (status, due_at) index for this term and scans every pending timer on each claim.
    .where(sql<boolean>`(status || '') = 'pending'`)
    .returningAll()
    .execute();
  return rows.map(toTimerRecord).sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
}

/** Pending timers already past due (monitoring; the scheduler uses claimDueTimers). */
export async function listOverdueTimers(db: StoreDb, now: number, limit = 100): Promise<TimerRecord[]> {
  const rows = await db
    .selectFrom("timers")
    .selectAll()
    .where("status", "=", "pending")
    .where("due_at", "<=", now)
    .orderBy("due_at")
    .limit(limit)
    .execute();
  return rows.map(toTimerRecord);
}

/** The earliest pending due time, so a scheduler can sleep until then; null when none. */
export async function findNextTimerDue(db: StoreDb): Promise<number | null> {
  const row = await db
    .selectFrom("timers")
    .select(sql<number | null>`min(due_at)`.as("due"))
    .where("status", "=", "pending")
    .executeTakeFirst();
  return row?.due ?? null;
}

function toTimerRecord(row: Selectable<TimersTable>): TimerRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    executionId: row.execution_id,
    contactId: row.contact_id,
    kind: parseEnum(TIMER_KINDS, row.kind, "timers.kind"),
    nodeId: row.node_id,
    dueAt: row.due_at,
    status: parseEnum(TIMER_STATUSES, row.status, "timers.status"),
    createdAt: row.created_at,
  };
}
