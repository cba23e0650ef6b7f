/**
 * Executions: one run of one flow version for one contact. The runtime finds a contact's active run,
 * saves its state after each step; the API lists and filters them.
 */
import { type Selectable, sql } from "kysely";
import {
  EXECUTION_STATUSES,
  type ExecutionState,
  type ExecutionStatus,
  type TriggerInfo,
} from "../../core/execution.ts";
import { parseEnum, parseJson, parseJsonOrNull, toJson } from "../columns.ts";
import { timeOrderedId } from "../ids.ts";
import { prepareQuery } from "../prepared-query.ts";
import type { ExecutionRecord, Page } from "../records.ts";
import type { ExecutionsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

/**
 * An execution that still owns its contact's messages (pending, running, waiting for input), with the
 * statuses as literals spelled as the partial index executions_active_idx is, so it serves the query.
 */
export const IS_ACTIVE = sql<boolean>`status in ('pending', 'running', 'waiting_for_input')`;

export interface NewExecution {
  /** Pre-generated when the runtime needs the id before the row exists (timers, logs). */
  id?: string;
  organizationId: string;
  flowId: string;
  flowVersionId: string;
  contactId: string;
  channelId: string;
  state: ExecutionState;
  at: number;
}

export interface SaveExecutionFields {
  updatedAt: number;
  /** Defaults to state.status. */
  status?: ExecutionStatus;
  completedAt?: number | null;
  /**
   * The status the row holds now. When the new one is the same, the status column is not written:
   * SQLite rewrites every index on a column an UPDATE sets, even to the same value.
   */
  previousStatus?: ExecutionStatus;
}

export interface ExecutionFilter {
  flowId?: string;
  statuses?: ExecutionStatus[];
  contactId?: string;
  page?: number;
  pageSize?: number;
}

/** Creates an execution from its initial state. */
export async function createExecution(db: StoreDb, execution: NewExecution): Promise<ExecutionRecord> {
  const { state } = execution;
  const { rows } = await insertExecution(
    db,
    execution.id ?? timeOrderedId(execution.at),
    execution.organizationId,
    execution.flowId,
    execution.flowVersionId,
    execution.contactId,
    execution.channelId,
    execution.at,
    ...stateValues(state, state.status, execution.at),
  );
  const row = rows[0];
  if (!row) throw new Error("createExecution: no row returned");
  return toExecutionRecord(row);
}

const insertExecution = prepareQuery(
  (
    db,
    id: string,
    organizationId: string,
    flowId: string,
    flowVersionId: string,
    contactId: string,
    channelId: string,
    startedAt: number,
    ...columns: StateColumns
  ) =>
    db
      .insertInto("executions")
      .values({
        id,
        organization_id: organizationId,
        flow_id: flowId,
        flow_version_id: flowVersionId,
        contact_id: contactId,
        channel_id: channelId,
        ...stateColumns(...columns),
        started_at: startedAt,
      })
      .returningAll(),
);

/** The contact's newest execution that is pending, running or waiting for input. */
export async function findActiveExecution(
  db: StoreDb,
  organizationId: string,
  contactId: string,
): Promise<ExecutionRecord | null> {
  const { rows } = await selectActiveExecution(db, organizationId, contactId);
  const row = rows[0];
  return row ? toExecutionRecord(row) : null;
}

const selectActiveExecution = prepareQuery((db, organizationId: string, contactId: string) =>
  db
    .selectFrom("executions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("contact_id", "=", contactId)
    .where(IS_ACTIVE)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(1),
);

/** Saves the state after a step, with the columns derived from it; false when the id is unknown. */
export async function saveExecutionState(
  db: StoreDb,
  id: string,
  state: ExecutionState,
  fields: SaveExecutionFields,
): Promise<boolean> {
  const [status, ...progress] = stateValues(state, fields.status ?? state.status, fields.updatedAt);
  const result =
    fields.completedAt !== undefined
      ? await updateExecutionStateCompleted(db, id, fields.completedAt, status, ...progress)
      : status === fields.previousStatus
        ? await updateExecutionProgress(db, id, ...progress)
        : await updateExecutionState(db, id, status, ...progress);
  return (result.numAffectedRows ?? 0n) > 0n;
}

/** The columns a step moves forward; the status is written only when it changes. */
type ProgressColumns = [
  currentNodeId: string | null,
  stateJson: string,
  triggerJson: string | null,
  errorCode: string | null,
  errorMessage: string | null,
  errorNodeId: string | null,
  updatedAt: number,
];

type StateColumns = [status: ExecutionStatus, ...progress: ProgressColumns];

/** The columns derived from an execution's state, in StateColumns order. */
function stateValues(state: ExecutionState, status: ExecutionStatus, updatedAt: number): StateColumns {
  return [
    status,
    state.currentNodeId,
    toJson(state),
    state.trigger === null ? null : toJson(state.trigger),
    state.error?.code ?? null,
    state.error?.message ?? null,
    state.error?.nodeId ?? null,
    updatedAt,
  ];
}

function progressColumns(
  ...[currentNodeId, stateJson, triggerJson, code, message, nodeId, updatedAt]: ProgressColumns
) {
  return {
    current_node_id: currentNodeId,
    state_json: stateJson,
    trigger_json: triggerJson,
    error_code: code,
    error_message: message,
    error_node_id: nodeId,
    updated_at: updatedAt,
  };
}

function stateColumns(...[status, ...progress]: StateColumns) {
  return { status, ...progressColumns(...progress) };
}

const updateExecutionState = prepareQuery((db, id: string, ...columns: StateColumns) =>
  db
    .updateTable("executions")
    .set(stateColumns(...columns))
    .where("id", "=", id),
);

const updateExecutionProgress = prepareQuery((db, id: string, ...columns: ProgressColumns) =>
  db
    .updateTable("executions")
    .set(progressColumns(...columns))
    .where("id", "=", id),
);

const updateExecutionStateCompleted = prepareQuery(
  (db, id: string, completedAt: number | null, ...columns: StateColumns) =>
    db
      .updateTable("executions")
      .set({ ...stateColumns(...columns), completed_at: completedAt })
      .where("id", "=", id),
);

/** Finds one execution of an organization. */
export async function getExecution(
  db: StoreDb,
  organizationId: string,
  id: string,
): Promise<ExecutionRecord | null> {
  const row = await db
    .selectFrom("executions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toExecutionRecord(row) : null;
}

/** Lists an organization's executions, newest first, filtered and paged. */
export async function listExecutions(
  db: StoreDb,
  organizationId: string,
  filter: ExecutionFilter = {},
): Promise<Page<ExecutionRecord>> {
  let query = db.selectFrom("executions").where("organization_id", "=", organizationId);
  if (filter.flowId !== undefined) query = query.where("flow_id", "=", filter.flowId);
  if (filter.contactId !== undefined) query = query.where("contact_id", "=", filter.contactId);
  if (filter.statuses !== undefined && filter.statuses.length > 0) {
    query = query.where("status", "in", filter.statuses);
  }
  const pageSize = filter.pageSize ?? 50;
  const offset = ((filter.page ?? 1) - 1) * pageSize;
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy("started_at", "desc")
      .orderBy("id", "desc")
      .limit(pageSize)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(count.total), rows: rows.map(toExecutionRecord) };
}

function toExecutionRecord(row: Selectable<ExecutionsTable>): ExecutionRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    flowId: row.flow_id,
    flowVersionId: row.flow_version_id,
    contactId: row.contact_id,
    channelId: row.channel_id,
    status: parseEnum(EXECUTION_STATUSES, row.status, "executions.status"),
    currentNodeId: row.current_node_id,
    state: parseJson<ExecutionState>(row.state_json),
    trigger: parseJsonOrNull<TriggerInfo>(row.trigger_json),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    errorNodeId: row.error_node_id,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

/** Execution counts of one flow per status, and the mean run time of the completed ones. */
export interface FlowExecutionSummary {
  byStatus: Partial<Record<ExecutionStatus, number>>;
  /** Milliseconds from start to completion, averaged over completed executions; null when none. */
  averageCompletedMs: number | null;
}

/** Summarises a flow's executions for its stats page in one grouped query. */
export async function summarizeFlowExecutions(
  db: StoreDb,
  organizationId: string,
  flowId: string,
): Promise<FlowExecutionSummary> {
  const rows = await db
    .selectFrom("executions")
    .select((eb) => [
      "status",
      eb.fn.countAll<number>().as("total"),
      eb.fn.avg<number | string | null>(eb("completed_at", "-", eb.ref("started_at"))).as("average_ms"),
    ])
    .where("organization_id", "=", organizationId)
    .where("flow_id", "=", flowId)
    .groupBy("status")
    .execute();
  const byStatus: Partial<Record<ExecutionStatus, number>> = {};
  let averageCompletedMs: number | null = null;
  for (const row of rows) {
    const status = parseEnum(EXECUTION_STATUSES, row.status, "executions.status");
    byStatus[status] = Number(row.total);
    if (status === "completed" && row.average_ms !== null) averageCompletedMs = Number(row.average_ms);
  }
  return { byStatus, averageCompletedMs };
}
