/**
 * Seed 001's node and edge sub-resources: each change edits the draft graph in one optimistic write
 * (a concurrent save answers 409), re-derives trigger keywords and bumps updated_at.
 */
import { randomUUID } from "node:crypto";
import { ParleyError } from "../../core/errors.ts";
import { type FlowEdge, type FlowGraph, type FlowNode, parseFlowGraph } from "../../core/flow.ts";
import { type FlowRecord, updateFlow } from "../../store/index.ts";
import type { ServiceContext } from "./context.ts";
import { deriveTriggerKeywords } from "./flow-graphs.ts";
import { conflictingEdit, requireFlow } from "./flows.ts";
import { notFound } from "./scope.ts";

export interface NodeInput {
  id?: string | undefined;
  type: string;
  position?: { x: number; y: number } | undefined;
  data?: Record<string, unknown> | undefined;
}

export interface EdgeInput {
  id?: string | undefined;
  source: string;
  target: string;
  sourceHandle?: string | null | undefined;
  targetHandle?: string | null | undefined;
  label?: unknown;
  trigger?: string | undefined;
  trigger_value?: string | undefined;
  data?: Record<string, unknown> | undefined;
}

/** Adds a node; its `data` is checked against its type's schema. */
export async function addNode(ctx: ServiceContext, organizationId: string, flowId: string, input: NodeInput) {
  const flow = await requireFlow(ctx, organizationId, flowId);
  const node = parseNode({ ...input, id: input.id ?? `node-${randomUUID()}` });
  if (flow.graph.nodes.some((existing) => existing.id === node.id)) {
    throw new ParleyError("CONFLICT", `The flow already has a node "${node.id}".`);
  }
  const saved = await saveGraph(ctx, flow, { ...flow.graph, nodes: [...flow.graph.nodes, node] });
  return { flow: saved, node };
}

/** Replaces a node's type, position or data (id stays). */
export async function changeNode(
  ctx: ServiceContext,
  organizationId: string,
  flowId: string,
  nodeId: string,
  patch: Partial<Omit<NodeInput, "id">>,
) {
  const flow = await requireFlow(ctx, organizationId, flowId);
  const current = flow.graph.nodes.find((node) => node.id === nodeId);
  if (!current) throw notFound("node", nodeId);
  const node = parseNode({
    ...current,
    ...(patch.type !== undefined && { type: patch.type }),
    ...(patch.position !== undefined && { position: patch.position }),
    ...(patch.data !== undefined && { data: patch.data }),
    id: nodeId,
  });
  const nodes = flow.graph.nodes.map((existing) => (existing.id === nodeId ? node : existing));
  const saved = await saveGraph(ctx, flow, { ...flow.graph, nodes });
  return { flow: saved, node };
}

/** Deletes a node and every edge into or out of it. */
export async function removeNode(
  ctx: ServiceContext,
  organizationId: string,
  flowId: string,
  nodeId: string,
): Promise<FlowRecord> {
  const flow = await requireFlow(ctx, organizationId, flowId);
  if (!flow.graph.nodes.some((node) => node.id === nodeId)) throw notFound("node", nodeId);
  return saveGraph(ctx, flow, {
    ...flow.graph,
    nodes: flow.graph.nodes.filter((node) => node.id !== nodeId),
    edges: flow.graph.edges.filter((edge) => edge.source !== nodeId && edge.target !== nodeId),
  });
}

/** Connects two existing nodes. */
export async function addEdge(ctx: ServiceContext, organizationId: string, flowId: string, input: EdgeInput) {
  const flow = await requireFlow(ctx, organizationId, flowId);
  const nodeIds = new Set(flow.graph.nodes.map((node) => node.id));
  const missing = (["source", "target"] as const)
    .filter((end) => !nodeIds.has(input[end]))
    .map((end) => ({ path: `body.${end}`, message: `No node "${input[end]}" in this flow.` }));
  if (missing.length > 0)
    throw new ParleyError("VALIDATION_FAILED", "The edge must join existing nodes.", missing);
  const edge = parseEdge({ ...input, id: input.id ?? `edge-${randomUUID()}` });
  if (flow.graph.edges.some((existing) => existing.id === edge.id)) {
    throw new ParleyError("CONFLICT", `The flow already has an edge "${edge.id}".`);
  }
  const saved = await saveGraph(ctx, flow, { ...flow.graph, edges: [...flow.graph.edges, edge] });
  return { flow: saved, edge };
}

/** Deletes one edge. */
export async function removeEdge(
  ctx: ServiceContext,
  organizationId: string,
  flowId: string,
  edgeId: string,
): Promise<FlowRecord> {
  const flow = await requireFlow(ctx, organizationId, flowId);
  if (!flow.graph.edges.some((edge) => edge.id === edgeId)) throw notFound("edge", edgeId);
  return saveGraph(ctx, flow, {
    ...flow.graph,
    edges: flow.graph.edges.filter((edge) => edge.id !== edgeId),
  });
}

async function saveGraph(ctx: ServiceContext, flow: FlowRecord, graph: FlowGraph): Promise<FlowRecord> {
  const checked = parseFlowGraph(graph);
  if (!checked.ok) {
    throw new ParleyError("VALIDATION_FAILED", "The resulting flow graph is not valid.", checked.problems);
  }
  const result = await updateFlow(
    ctx.db,
    flow.organizationId,
    flow.id,
    { graph: checked.value, triggerKeywords: deriveTriggerKeywords(checked.value), at: ctx.now() },
    flow.updatedAt,
  );
  if (result === "conflict") throw conflictingEdit();
  if (!result) throw notFound("flow", flow.id);
  return result;
}

/** Parses one node as a one-node graph would, reporting paths relative to the request body. */
function parseNode(input: unknown): FlowNode {
  const parsed = parseFlowGraph({ nodes: [input] });
  const node = parsed.ok ? parsed.value.nodes[0] : undefined;
  if (node) return node;
  throw new ParleyError(
    "VALIDATION_FAILED",
    "The node is not valid; see details.",
    relativeProblems(parsed, "nodes"),
  );
}

function parseEdge(input: unknown): FlowEdge {
  const parsed = parseFlowGraph({ edges: [input] });
  const edge = parsed.ok ? parsed.value.edges[0] : undefined;
  if (edge) return edge;
  throw new ParleyError(
    "VALIDATION_FAILED",
    "The edge is not valid; see details.",
    relativeProblems(parsed, "edges"),
  );
}

function relativeProblems(parsed: ReturnType<typeof parseFlowGraph>, list: "nodes" | "edges") {
  if (parsed.ok) return [];
  const prefix = `${list}[0]`;
  return parsed.problems.map((problem) => ({
    path: problem.path === prefix ? "body" : problem.path.replace(`${prefix}.`, "body."),
    message: problem.message,
  }));
}
