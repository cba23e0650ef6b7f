/**
 * Nodes and edges as seed 001's sub-resources show them: the ReactFlow object, seed 001's edge field
 * names beside ReactFlow's, and the flow's new updated_at so an open editor can keep saving.
 */
import { z } from "zod";
import {
  edgeTrigger,
  type FlowEdge,
  type FlowNode,
  flowEdgeSchema,
  flowNodeSchema,
} from "../../core/flow.ts";
import type { FlowRecord } from "../../store/index.ts";
import { toIso } from "./shared.ts";

const flowLink = { flow_id: z.string(), flow_updated_at: z.string() };

export const nodeSchema = flowNodeSchema.extend(flowLink);
export const edgeSchema = flowEdgeSchema.extend({
  ...flowLink,
  source_node: z.string(),
  target_node: z.string(),
});

/** A node with the flow it belongs to. */
export function presentNode(node: FlowNode, flow: FlowRecord): z.infer<typeof nodeSchema> {
  return { ...node, flow_id: flow.id, flow_updated_at: toIso(flow.updatedAt) };
}

/** An edge under both naming schemes; a trigger kept in `data` is surfaced too. */
export function presentEdge(edge: FlowEdge, flow: FlowRecord): z.infer<typeof edgeSchema> {
  const { trigger, value } = edgeTrigger(edge);
  return {
    ...edge,
    ...(trigger !== undefined && { trigger }),
    ...(value !== undefined && { trigger_value: value }),
    source_node: edge.source,
    target_node: edge.target,
    flow_id: flow.id,
    flow_updated_at: toIso(flow.updatedAt),
  };
}
