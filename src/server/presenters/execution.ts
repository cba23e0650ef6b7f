/**
 * Executions as the API shows them (seed 000's list and detail serializers): snake_case, ISO times,
 * the step log, and `duration_seconds` measured up to now while the execution still runs.
 */
import { z } from "zod";
import { EXECUTION_STATUSES } from "../../core/execution.ts";
import type { ExecutionLogRecord, ExecutionRecord } from "../../store/index.ts";
import { toIso } from "./shared.ts";

export const executionSummarySchema = z.object({
  id: z.string(),
  flow_id: z.string(),
  flow_name: z.string().nullable(),
  contact_id: z.string(),
  channel_id: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  current_node_id: z.string().nullable(),
  trigger_keyword: z.string().nullable().describe("The keyword that started it; null for API, lead, default"),
  trigger_kind: z.string().nullable(),
  started_at: z.string(),
  completed_at: z.string().nullable(),
});

export const executionLogSchema = z.object({
  id: z.number().int(),
  node_id: z.string(),
  node_type: z.string(),
  action: z.string(),
  input_data: z.unknown(),
  output_data: z.unknown(),
  message: z.string().nullable(),
  timestamp: z.string(),
});

export const executionDetailSchema = executionSummarySchema.extend({
  flow_version_id: z.string(),
  waiting_handle: z.string().nullable().describe("The node the execution waits on, if any"),
  visited_nodes: z.array(z.string()),
  variables: z.record(z.string(), z.unknown()),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  error_node_id: z.string().nullable(),
  duration_seconds: z.number().nullable(),
  logs: z.array(executionLogSchema),
});

export type ExecutionSummaryView = z.infer<typeof executionSummarySchema>;
export type ExecutionDetailView = z.infer<typeof executionDetailSchema>;

/** A list row. */
export function presentExecutionSummary(
  execution: ExecutionRecord,
  flowName: string | null = null,
): ExecutionSummaryView {
  return {
    id: execution.id,
    flow_id: execution.flowId,
    flow_name: flowName,
    contact_id: execution.contactId,
    channel_id: execution.channelId,
    status: execution.status,
    current_node_id: execution.currentNodeId,
    trigger_keyword: execution.trigger?.keyword ?? null,
    trigger_kind: execution.trigger?.kind ?? null,
    started_at: toIso(execution.startedAt),
    completed_at: toIso(execution.completedAt),
  };
}

/** The detail view; `now` measures the duration of an execution that has not finished. */
export function presentExecutionDetail(
  execution: ExecutionRecord,
  flowName: string | null,
  logs: readonly ExecutionLogRecord[],
  now: number,
): ExecutionDetailView {
  const end = execution.completedAt ?? now;
  return {
    ...presentExecutionSummary(execution, flowName),
    flow_version_id: execution.flowVersionId,
    waiting_handle: execution.state.waiting?.nodeId ?? null,
    visited_nodes: execution.state.visitedNodes,
    variables: execution.state.variables,
    error_code: execution.errorCode,
    error_message: execution.errorMessage,
    error_node_id: execution.errorNodeId,
    duration_seconds: Math.max(0, end - execution.startedAt) / 1000,
    logs: logs.map(presentExecutionLog),
  };
}

function presentExecutionLog(log: ExecutionLogRecord): z.infer<typeof executionLogSchema> {
  return {
    id: log.id,
    node_id: log.nodeId,
    node_type: log.nodeType,
    action: log.action,
    input_data: log.input,
    output_data: log.output,
    message: log.message,
    timestamp: toIso(log.createdAt),
  };
}
