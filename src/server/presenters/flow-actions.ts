/**
 * Bodies of seed 000's flow actions: the validation result, the publish answers (success, or the
 * seed's `{status: "error", message, validation}` with Parley's error code added), and the stats.
 */
import { z } from "zod";
import type { FlowValidationResult } from "../../engine/validate-flow.ts";
import type { FlowRecord } from "../../store/index.ts";
import type { FlowStats } from "../services/flow-actions.ts";
import { flowSchema } from "./flows.ts";

const issueSchema = z.object({
  type: z.enum(["error", "warning"]),
  code: z.string(),
  message: z.string(),
  nodeId: z.string().nullable(),
});

export const validationSchema = z.object({
  valid: z.boolean(),
  errors: z.array(issueSchema),
  warnings: z.array(issueSchema),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
});

export const publishedSchema = z.object({
  status: z.literal("published"),
  message: z.string(),
  published_at: z.string(),
  version: z.number().int(),
  flow: flowSchema,
});

/** Seed 000's refusal, plus `error`/`code` so clients reading Parley's error shape also understand it. */
export const publishRefusedSchema = z.object({
  status: z.literal("error"),
  message: z.string(),
  validation: validationSchema,
  error: z.string(),
  code: z.literal("FLOW_INVALID"),
});

export const unpublishedSchema = z.object({
  status: z.literal("unpublished"),
  message: z.string(),
  flow: flowSchema,
});

export const statsSchema = z.object({
  total_executions: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  running: z.number().int().describe("running + waiting_for_input"),
  by_status: z.record(z.string(), z.number().int()),
  completion_rate: z.number().describe("completed / total, from 0 to 1"),
  average_duration_seconds: z.number().nullable().describe("Mean start-to-completion time of completed runs"),
  last_executed_at: z.string().nullable(),
  trigger_keywords: z.array(z.string()),
});

/** The refusal body for a flow that does not validate. */
export function presentPublishRefused(
  validation: FlowValidationResult,
): z.infer<typeof publishRefusedSchema> {
  const message = "Flow has validation errors";
  return { status: "error", message, validation, error: message, code: "FLOW_INVALID" };
}

/** Seed 000's stats with the per-status breakdown, rate and mean duration added. */
export function presentStats(flow: FlowRecord, stats: FlowStats): z.infer<typeof statsSchema> {
  const { byStatus } = stats;
  return {
    total_executions: stats.total,
    completed: byStatus.completed,
    failed: byStatus.failed,
    running: byStatus.running + byStatus.waiting_for_input,
    by_status: byStatus,
    completion_rate: Math.round(stats.completionRate * 10_000) / 10_000,
    average_duration_seconds: stats.averageDurationMs === null ? null : stats.averageDurationMs / 1000,
    last_executed_at: flow.lastExecutedAt === null ? null : new Date(flow.lastExecutedAt).toISOString(),
    trigger_keywords: flow.triggerKeywords,
  };
}
