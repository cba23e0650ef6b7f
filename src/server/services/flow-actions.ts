/**
 * Seed 000's flow actions: publish (validate, then snapshot a numbered version), unpublish,
 * duplicate, validate, and the execution stats of one flow.
 */
import { EXECUTION_STATUSES, type ExecutionStatus } from "../../core/execution.ts";
import { type FlowValidationResult, validateFlow } from "../../engine/validate-flow.ts";
import {
  createFlow,
  type FlowRecord,
  type FlowVersionRecord,
  publishFlow,
  summarizeFlowExecutions,
  unpublishFlow,
} from "../../store/index.ts";
import type { ServiceContext } from "./context.ts";
import { deriveTriggerKeywords } from "./flow-graphs.ts";
import { requireFlow } from "./flows.ts";
import { notFound } from "./scope.ts";

export type PublishOutcome =
  | { published: true; flow: FlowRecord; version: FlowVersionRecord }
  | { published: false; flow: FlowRecord; validation: FlowValidationResult };

export interface FlowStats {
  total: number;
  byStatus: Record<ExecutionStatus, number>;
  /** Completed executions over all executions, 0 when there are none. */
  completionRate: number;
  averageDurationMs: number | null;
}

/** Publishes the draft when validateFlow finds no errors; otherwise returns the validation. */
export async function publishDraft(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
  userId: string | null,
): Promise<PublishOutcome> {
  const flow = await requireFlow(ctx, organizationId, id);
  const validation = validateFlow(flow.graph);
  if (!validation.valid) return { published: false, flow, validation };
  const keywords = deriveTriggerKeywords(flow.graph);
  const result = await publishFlow(ctx.db, organizationId, id, keywords, userId, ctx.now());
  if (!result) throw notFound("flow", id);
  return { published: true, ...result };
}

/** Stops new executions starting on the flow; running ones finish on their version. */
export async function unpublishDraft(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<FlowRecord> {
  const flow = await unpublishFlow(ctx.db, organizationId, id);
  if (!flow) throw notFound("flow", id);
  return flow;
}

/** Copies a flow as "<name> (Copy)": same graph, inactive and unpublished. */
export async function duplicateFlow(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<FlowRecord> {
  const source = await requireFlow(ctx, organizationId, id);
  return createFlow(ctx.db, {
    organizationId,
    botId: source.botId,
    name: `${source.name} (Copy)`,
    description: source.description,
    graph: source.graph,
    isActive: false,
    triggerKeywords: source.triggerKeywords,
    at: ctx.now(),
  });
}

/** Validates the saved draft (seed 000's `{valid, errors, warnings, errorCount, warningCount}`). */
export async function validateDraft(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<FlowValidationResult> {
  const flow = await requireFlow(ctx, organizationId, id);
  return validateFlow(flow.graph);
}

/** Execution totals of a flow, per status, with the completion rate and mean completed duration. */
export async function computeFlowStats(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<{ flow: FlowRecord; stats: FlowStats }> {
  const flow = await requireFlow(ctx, organizationId, id);
  const summary = await summarizeFlowExecutions(ctx.db, organizationId, id);
  const byStatus = fillStatusCounts(summary.byStatus);
  const total = EXECUTION_STATUSES.reduce((sum, status) => sum + byStatus[status], 0);
  return {
    flow,
    stats: {
      total,
      byStatus,
      completionRate: total === 0 ? 0 : byStatus.completed / total,
      averageDurationMs: summary.averageCompletedMs,
    },
  };
}

function fillStatusCounts(counts: Partial<Record<ExecutionStatus, number>>): Record<ExecutionStatus, number> {
  return {
    pending: counts.pending ?? 0,
    running: counts.running ?? 0,
    waiting_for_input: counts.waiting_for_input ?? 0,
    completed: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    cancelled: counts.cancelled ?? 0,
    expired: counts.expired ?? 0,
  };
}
