/** Execution logs: one row per step event, written with the step and read back in order. */
import type { Selectable } from "kysely";
import { LOG_ACTIONS, type LogEntry } from "../../core/execution.ts";
import { parseEnum, parseJsonOrNull, toJson } from "../columns.ts";
import { prepareRows } from "../prepared-query.ts";
import type { ExecutionLogRecord } from "../records.ts";
import type { ExecutionLogsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewExecutionLog extends LogEntry {
  executionId: string;
  organizationId: string;
  createdAt: number;
}

/** Inserts a step's log entries in one statement, in order. */
export async function insertExecutionLogs(db: StoreDb, rows: NewExecutionLog[]): Promise<void> {
  if (rows.length === 0) return;
  await insertLogRows(
    db,
    rows.map((row) => [
      row.executionId,
      row.organizationId,
      row.nodeId,
      row.nodeType,
      row.action,
      row.input === undefined ? null : toJson(row.input),
      row.output === undefined ? null : toJson(row.output),
      row.message ?? null,
      row.createdAt,
    ]),
  );
}

type LogColumns = [
  string,
  string,
  string,
  string,
  LogEntry["action"],
  string | null,
  string | null,
  string | null,
  number,
];

const insertLogRows = prepareRows((db, rows: LogColumns[]) =>
  db.insertInto("execution_logs").values(
    rows.map(
      ([executionId, organizationId, nodeId, nodeType, action, input, output, message, createdAt]) => ({
        execution_id: executionId,
        organization_id: organizationId,
        node_id: nodeId,
        node_type: nodeType,
        action,
        input_json: input,
        output_json: output,
        message,
        created_at: createdAt,
      }),
    ),
  ),
);

/** An execution's log, oldest first. */
export async function listExecutionLogs(
  db: StoreDb,
  organizationId: string,
  executionId: string,
  limit = 1000,
): Promise<ExecutionLogRecord[]> {
  const rows = await db
    .selectFrom("execution_logs")
    .selectAll()
    .where("execution_id", "=", executionId)
    .where("organization_id", "=", organizationId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map(toExecutionLogRecord);
}

function toExecutionLogRecord(row: Selectable<ExecutionLogsTable>): ExecutionLogRecord {
  return {
    id: row.id,
    executionId: row.execution_id,
    organizationId: row.organization_id,
    nodeId: row.node_id,
    nodeType: row.node_type,
    action: parseEnum(LOG_ACTIONS, row.action, "execution_logs.action"),
    input: parseJsonOrNull<unknown>(row.input_json),
    output: parseJsonOrNull<unknown>(row.output_json),
    message: row.message,
    createdAt: row.created_at,
  };
}
