/**
 * Per-node analytics of one flow for the builder's canvas overlay: how many executions entered each
 * node, how many are waiting there now and how many stopped there for good. Two grouped queries, both
 * led by an index: executions by executions_flow_status_idx, their logs by execution_logs_execution_idx.
 */
import { type ExecutionStatus, FINISHED_STATUSES } from "../../core/execution.ts";
import type { StoreDb } from "../transaction.ts";

/** Statuses that count as a drop-off at the execution's current node. */
const DROPPED_STATUSES: readonly ExecutionStatus[] = FINISHED_STATUSES.filter(
  (status) => status !== "completed",
);

export interface FlowNodeSummary {
  nodeId: string;
  /** Distinct executions that entered the node (an execution looping through it counts once). */
  visits: number;
  /** Executions waiting for input at the node right now. */
  waitingNow: number;
  /** Executions that ended expired, failed or cancelled at the node, plus those waiting there. */
  droppedHere: number;
}

export interface FlowAnalytics {
  executions: number;
  completed: number;
  /** One entry per node any counted execution entered or stopped at, most visited first. */
  byNode: FlowNodeSummary[];
}

export interface FlowAnalyticsOptions {
  /** Only executions started at or after this time (ms since the epoch). */
  since?: number;
}

/** Summarises a flow's executions node by node; nodes no execution reached are absent. */
export async function summarizeFlowNodes(
  db: StoreDb,
  organizationId: string,
  flowId: string,
  options: FlowAnalyticsOptions = {},
): Promise<FlowAnalytics> {
  let executions = db
    .selectFrom("executions")
    .where("executions.organization_id", "=", organizationId)
    .where("executions.flow_id", "=", flowId);
  if (options.since !== undefined)
    executions = executions.where("executions.started_at", ">=", options.since);

  const [positions, visits] = await Promise.all([
    executions
      .select((eb) => ["status", "current_node_id", eb.fn.countAll<number | string>().as("total")])
      .groupBy(["status", "current_node_id"])
      .execute(),
    executions
      .innerJoin("execution_logs", "execution_logs.execution_id", "executions.id")
      .where("execution_logs.action", "=", "entered")
      .select((eb) => [
        "execution_logs.node_id",
        eb.fn.count<number | string>("execution_logs.execution_id").distinct().as("visits"),
      ])
      .groupBy("execution_logs.node_id")
      .execute(),
  ]);

  const nodes = new Map<string, FlowNodeSummary>();
  const nodeSummary = (nodeId: string): FlowNodeSummary => {
    let summary = nodes.get(nodeId);
    if (!summary) {
      summary = { nodeId, visits: 0, waitingNow: 0, droppedHere: 0 };
      nodes.set(nodeId, summary);
    }
    return summary;
  };
  for (const row of visits) nodeSummary(row.node_id).visits = Number(row.visits);

  let total = 0;
  let completed = 0;
  for (const row of positions) {
    const count = Number(row.total);
    total += count;
    if (row.status === "completed") completed += count;
    if (row.current_node_id === null) continue;
    const waiting = row.status === "waiting_for_input";
    if (waiting) nodeSummary(row.current_node_id).waitingNow += count;
    if (waiting || DROPPED_STATUSES.some((status) => status === row.status)) {
      nodeSummary(row.current_node_id).droppedHere += count;
    }
  }

  const byNode = [...nodes.values()].sort(
    (a, b) => b.visits - a.visits || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0),
  );
  return { executions: total, completed, byNode };
}
