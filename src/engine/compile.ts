/**
 * Turns a stored graph into the engine's lookup structure once per flow version: nodes by id with
 * their `data` parsed, outgoing edges by source. The runtime caches the result, so `advance` does no
 * parsing on the hot path.
 */

import { ParleyError } from "../core/errors.ts";
import type { FlowEdge, FlowGraph, FlowSettings, NodeData, NodeType } from "../core/flow.ts";
import { flowGraphSchema, isNodeType, nodeDataSchemas, problemsFromZod } from "../core/flow.ts";

export type CompiledNodeOf<T extends NodeType> = { id: string; type: T; data: NodeData<T> };
export type CompiledNode = { [T in NodeType]: CompiledNodeOf<T> }[NodeType];

export interface CompiledFlow {
  graph: FlowGraph;
  nodes: ReadonlyMap<string, CompiledNode>;
  outgoing: ReadonlyMap<string, readonly FlowEdge[]>;
  starts: readonly CompiledNodeOf<"start">[];
  settings: FlowSettings;
  /** Nodes that cannot run (unknown type or data that fails its schema), with the reason. */
  broken: ReadonlyMap<string, string>;
}

/**
 * Compiles a graph. A graph whose structure does not parse throws FLOW_INVALID with every problem;
 * a node whose data fails its schema only makes that node unrunnable (listed in `broken`).
 */
export function compileFlow(input: unknown): CompiledFlow {
  const parsed = flowGraphSchema.safeParse(input);
  if (!parsed.success) {
    throw new ParleyError("FLOW_INVALID", "The flow graph is not valid.", problemsFromZod(parsed.error));
  }
  const graph = parsed.data;
  const nodes = new Map<string, CompiledNode>();
  const broken = new Map<string, string>();
  const starts: CompiledNodeOf<"start">[] = [];
  for (const node of graph.nodes) {
    if (nodes.has(node.id) || broken.has(node.id)) continue;
    if (!isNodeType(node.type)) {
      broken.set(node.id, `unknown node type "${node.type}"`);
      continue;
    }
    const compiled = compileNode(node.id, node.type, node.data);
    if (typeof compiled === "string") {
      broken.set(node.id, compiled);
      continue;
    }
    nodes.set(node.id, compiled);
    if (compiled.type === "start") starts.push(compiled);
  }
  const outgoing = new Map<string, FlowEdge[]>();
  for (const edge of graph.edges) {
    const list = outgoing.get(edge.source);
    if (list) list.push(edge);
    else outgoing.set(edge.source, [edge]);
  }
  return { graph, nodes, outgoing, starts, settings: graph.settings, broken };
}

function compileNode(id: string, type: NodeType, data: Record<string, unknown>): CompiledNode | string {
  const parsed = nodeDataSchemas[type].safeParse(data);
  if (!parsed.success) {
    return parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "data"}: ${issue.message}`)
      .join("; ");
  }
  // The schema for `type` produced `parsed.data`, so the pair is consistent by construction.
  return { id, type, data: parsed.data } as CompiledNode;
}

const DEFAULT_HANDLES = new Set(["", "default", "out", "output", "source", "next"]);

/** The edge leaving `nodeId` through `handle`. */
export function findEdge(flow: CompiledFlow, nodeId: string, handle: string): FlowEdge | undefined {
  return flow.outgoing.get(nodeId)?.find((edge) => edge.sourceHandle === handle);
}

/**
 * The default edge of a node: one without a named handle. Nodes with a single output accept any
 * edge, because builders name that one handle freely.
 */
export function findDefaultEdge(
  flow: CompiledFlow,
  nodeId: string,
  singleOutput: boolean | (() => boolean),
): FlowEdge | undefined {
  const edges = flow.outgoing.get(nodeId);
  if (!edges) return undefined;
  const unnamed = edges.find((edge) => edge.sourceHandle == null || DEFAULT_HANDLES.has(edge.sourceHandle));
  if (unnamed) return unnamed;
  const single = typeof singleOutput === "function" ? singleOutput() : singleOutput;
  return single ? edges[0] : undefined;
}
