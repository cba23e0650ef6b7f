/** Execution logs: one row per step event, written with the step and read back in order. */
import type { Selectable } from "kysely";
import { LOG_ACTIONS, type LogEntry } from "../../core/execution.ts";
import { parseEnum, parseJsonOrNull, toJson } from "../columns.ts";
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
  await db
    .insertInto("execution_logs")
    .values(
      rows.map((row) => ({
        execution_id: row.executionId,
        organization_id: row.organizationId,
        node_id: row.nodeId,
        node_type: row.nodeType,
        action: row.action,
        input_json: row.input === undefined ? null : toJson(row.input),
        output_json: row.output === undefined ? null : toJson(row.output),
        message: row.message ?? null,
        created_at: row.createdAt,
      })),
    )
    .execute();
}

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
