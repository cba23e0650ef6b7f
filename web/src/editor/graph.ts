/**
 * Conversions between the stored flow graph (DESIGN §4) and the canvas' nodes and edges. The canvas
 * adds runtime fields (selection, measured size); `serializeGraph` strips them before saving.
 */
import type { Edge, Node } from "@xyflow/react";
import type { FlowEdge, FlowNode } from "../../../src/core/flow.ts";
import { isRecord, outputHandles } from "./node-catalog.ts";

export type CanvasNode = Node<Record<string, unknown>>;
export type CanvasEdge = Edge<Record<string, unknown>>;

export interface StoredGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

const DEFAULT_HANDLE_NAMES = new Set(["", "default", "out", "output", "source", "next"]);

/** Builds canvas nodes and edges; an edge on an unnamed or free-named default output is drawn from `default`. */
export function toCanvas(graph: StoredGraph): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const nodes: CanvasNode[] = graph.nodes.map((node) => ({
    id: node.id,
    type: node.type,
    position: { x: node.position?.x ?? 0, y: node.position?.y ?? 0 },
    data: isRecord(node.data) ? node.data : {},
  }));
  const handlesById = new Map(nodes.map((node) => [node.id, outputHandles(node.type ?? "", node.data)]));
  const edges: CanvasEdge[] = graph.edges.map((edge) => {
    const handles = handlesById.get(edge.source) ?? [];
    const named = edge.sourceHandle ?? "";
    const sourceHandle =
      handles.includes("default") && (DEFAULT_HANDLE_NAMES.has(named) || !handles.includes(named))
        ? "default"
        : named || null;
    const data: Record<string, unknown> = { ...(edge.data ?? {}) };
    if (edge.trigger !== undefined) data.trigger = edge.trigger;
    if (edge.trigger_value !== undefined) data.trigger_value = edge.trigger_value;
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle,
      targetHandle: edge.targetHandle ?? null,
      ...(typeof edge.label === "string" ? { label: edge.label } : {}),
      ...(Object.keys(data).length > 0 ? { data } : {}),
    };
  });
  return { nodes, edges };
}

/** The graph as the API stores it: only the fields of the flow format, positions rounded. */
export function serializeGraph(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): StoredGraph {
  return {
    nodes: nodes.map((node) => ({
      id: node.id,
      type: node.type ?? "text",
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      data: node.data,
    })),
    edges: edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      ...(edge.sourceHandle ? { sourceHandle: edge.sourceHandle } : {}),
      ...(edge.targetHandle ? { targetHandle: edge.targetHandle } : {}),
      ...(typeof edge.label === "string" ? { label: edge.label } : {}),
      ...(edge.data && Object.keys(edge.data).length > 0 ? { data: edge.data } : {}),
    })),
  };
}

/** Drops edges that leave a node through a handle it no longer has (a removed option, a changed action). */
export function pruneDanglingEdges(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): CanvasEdge[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  return edges.filter((edge) => {
    const source = byId.get(edge.source);
    if (!source || !byId.has(edge.target)) return false;
    if (!edge.sourceHandle) return true;
    return outputHandles(source.type ?? "", source.data).includes(edge.sourceHandle);
  });
}
