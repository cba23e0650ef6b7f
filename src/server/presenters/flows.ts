/**
 * Flows as the API shows them: seed 000's snake_case fields, the list form with node and trigger
 * counts, the detail form with the graph, and versions.
 */
import { z } from "zod";
import { flowEdgeSchema, flowNodeSchema } from "../../core/flow.ts";
import type { FlowRecord, FlowVersionRecord } from "../../store/index.ts";
import { toIso } from "./shared.ts";

export const flowSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  organization: z.string(),
  bot_id: z.string().nullable(),
  is_active: z.boolean(),
  is_published: z.boolean(),
  trigger_keywords: z.array(z.string()),
  node_count: z.number().int(),
  trigger_count: z.number().int(),
  execution_count: z.number().int(),
  last_executed_at: z.string().nullable(),
  published_version_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  published_at: z.string().nullable(),
});

const graphFields = {
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema),
  menus: z.array(z.unknown()),
  settings: z.record(z.string(), z.unknown()),
};

export const flowSchema = flowSummarySchema.extend(graphFields);

export const flowVersionSummarySchema = z.object({
  id: z.string(),
  flow: z.string(),
  version: z.number().int(),
  is_published: z.boolean(),
  node_count: z.number().int(),
  created_at: z.string(),
  created_by: z.string().nullable(),
});

export const flowVersionSchema = flowVersionSummarySchema.extend(graphFields);

export type FlowSummaryView = z.infer<typeof flowSummarySchema>;
export type FlowView = z.infer<typeof flowSchema>;

/** The list form (seed 000's list serializer): no graph, counts instead. */
export function presentFlowSummary(flow: FlowRecord): FlowSummaryView {
  return {
    id: flow.id,
    name: flow.name,
    description: flow.description,
    organization: flow.organizationId,
    bot_id: flow.botId,
    is_active: flow.isActive,
    is_published: flow.isPublished,
    trigger_keywords: flow.triggerKeywords,
    node_count: flow.graph.nodes.length,
    trigger_count: flow.triggerKeywords.length,
    execution_count: flow.executionCount,
    last_executed_at: toIso(flow.lastExecutedAt),
    published_version_id: flow.publishedVersionId,
    created_at: toIso(flow.createdAt),
    updated_at: toIso(flow.updatedAt),
    published_at: toIso(flow.publishedAt),
  };
}

/** The detail form: the summary plus the draft graph. */
export function presentFlow(flow: FlowRecord): FlowView {
  return {
    ...presentFlowSummary(flow),
    nodes: flow.graph.nodes,
    edges: flow.graph.edges,
    menus: flow.graph.menus,
    settings: flow.graph.settings,
  };
}

/** A version in a list; `is_published` marks the one new executions start on. */
export function presentFlowVersionSummary(version: FlowVersionRecord, flow: FlowRecord) {
  return {
    id: version.id,
    flow: version.flowId,
    version: version.version,
    is_published: flow.isPublished && flow.publishedVersionId === version.id,
    node_count: version.graph.nodes.length,
    created_at: toIso(version.createdAt),
    created_by: version.createdBy,
  };
}

/** A version with its graph. */
export function presentFlowVersion(version: FlowVersionRecord, flow: FlowRecord) {
  return {
    ...presentFlowVersionSummary(version, flow),
    nodes: version.graph.nodes,
    edges: version.graph.edges,
    menus: version.graph.menus,
    settings: version.graph.settings,
  };
}
