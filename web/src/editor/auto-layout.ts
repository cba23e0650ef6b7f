/** Left-to-right layered layout with dagre, using each node's measured size when the canvas knows it. */
import dagre from "@dagrejs/dagre";
import type { CanvasEdge, CanvasNode } from "./graph.ts";

const FALLBACK = { width: 240, height: 140 };

export function layoutGraph(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): CanvasNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, {
      width: node.measured?.width ?? FALLBACK.width,
      height: node.measured?.height ?? FALLBACK.height,
    });
  }
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    const placed = graph.node(node.id);
    if (!placed) return node;
    // dagre gives centres; the canvas positions nodes by their top-left corner.
    return { ...node, position: { x: placed.x - placed.width / 2, y: placed.y - placed.height / 2 } };
  });
}
