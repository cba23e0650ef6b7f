/**
 * The canvas's event handlers as one hook: node and edge changes, connecting, adding and dropping nodes,
 * editing node data, deleting, and focusing a node. Every graph change goes through `commit` for undo.
 */
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  useReactFlow,
} from "@xyflow/react";
import { type Dispatch, type DragEvent, type SetStateAction, useCallback } from "react";
import type { NodeType } from "../../../src/core/flow.ts";
import { isNodeType } from "../../../src/core/flow.ts";
import { type CanvasEdge, type CanvasNode, pruneDanglingEdges } from "./graph.ts";
import { NODE_INFO, newId } from "./node-catalog.ts";
import { DRAG_MIME } from "./palette.tsx";
import type { GraphSnapshot, useGraphHistory } from "./use-graph-history.ts";

/** Which side panel the editor shows. */
export type EditorPanel = "inspector" | "simulator";

/** The editor's graph state and the primitives that change it, shared by the editor's hooks. */
export interface EditorGraph {
  nodesRef: { readonly current: CanvasNode[] };
  edgesRef: { readonly current: CanvasEdge[] };
  setNodes: Dispatch<SetStateAction<CanvasNode[]>>;
  setEdges: Dispatch<SetStateAction<CanvasEdge[]>>;
  history: ReturnType<typeof useGraphHistory>;
  snapshot: () => GraphSnapshot;
  markChanged: () => void;
  /** Replaces the graph as one undoable step. */
  commit: (next: Partial<GraphSnapshot>, key?: string) => void;
}

/**
 * Handlers for the canvas and the panels that edit it.
 * @example const { onConnect, addNode } = useCanvasHandlers(graph, wrapper, setPanel);
 */
export function useCanvasHandlers(
  graph: EditorGraph,
  wrapper: { readonly current: HTMLDivElement | null },
  setPanel: Dispatch<SetStateAction<EditorPanel>>,
) {
  // Refs and state setters are stable; they are listed in dependencies only because the linter cannot
  // tell that they come from useRef and useState in the editor.
  const { nodesRef, edgesRef, setNodes, setEdges, history, snapshot, markChanged, commit } = graph;
  const { screenToFlowPosition, setCenter, getInternalNode } = useReactFlow();

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const structural = changes.some(
        (change) => change.type === "remove" || change.type === "add" || change.type === "replace",
      );
      if (structural) history.record(snapshot(), "remove");
      setNodes((current) => applyNodeChanges(changes, current));
      if (structural) markChanged();
    },
    [history, snapshot, markChanged, setNodes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      const structural = changes.some(
        (change) => change.type === "remove" || change.type === "add" || change.type === "replace",
      );
      if (structural) history.record(snapshot(), "remove");
      setEdges((current) => applyEdgeChanges(changes, current));
      if (structural) markChanged();
    },
    [history, snapshot, markChanged, setEdges],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      // One edge per output: the engine follows the first, so a second one would be silently dead.
      const kept = edgesRef.current.filter(
        (edge) =>
          !(
            edge.source === connection.source &&
            (edge.sourceHandle ?? null) === (connection.sourceHandle ?? null)
          ),
      );
      commit({ edges: [...kept, { ...connection, id: newId("e") }] });
    },
    [commit, edgesRef],
  );

  const addNode = useCallback(
    (type: NodeType, position?: { x: number; y: number }) => {
      let at = position;
      if (!at) {
        const box = wrapper.current?.getBoundingClientRect();
        const centre = box
          ? { x: box.left + box.width / 2, y: box.top + box.height / 2 }
          : { x: 400, y: 300 };
        at = screenToFlowPosition(centre);
        at = {
          x: at.x - 110 + (nodesRef.current.length % 5) * 20,
          y: at.y - 50 + (nodesRef.current.length % 5) * 20,
        };
      }
      const node: CanvasNode = {
        id: newId(type),
        type,
        position: at,
        data: NODE_INFO[type].defaultData(),
        selected: true,
      };
      commit({ nodes: [...nodesRef.current.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
      setPanel("inspector");
    },
    [commit, screenToFlowPosition, nodesRef, setPanel, wrapper],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (!isNodeType(type)) return;
      addNode(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [addNode, screenToFlowPosition],
  );

  const updateNodeData = useCallback(
    (nodeId: string, patch: Record<string, unknown>, field: string) => {
      const next = nodesRef.current.map((node) => {
        if (node.id !== nodeId) return node;
        const data = { ...node.data, ...patch };
        for (const [key, value] of Object.entries(patch)) if (value === undefined) delete data[key];
        return { ...node, data };
      });
      commit({ nodes: next, edges: pruneDanglingEdges(next, edgesRef.current) }, `data:${nodeId}:${field}`);
    },
    [commit, nodesRef, edgesRef],
  );

  const deleteNodes = useCallback(
    (ids: ReadonlySet<string>) => {
      if (ids.size === 0) return;
      commit({
        nodes: nodesRef.current.filter((node) => !ids.has(node.id)),
        edges: edgesRef.current.filter((edge) => !ids.has(edge.source) && !ids.has(edge.target)),
      });
    },
    [commit, nodesRef, edgesRef],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      setNodes((current) => current.map((node) => ({ ...node, selected: node.id === nodeId })));
      setPanel("inspector");
      const internal = getInternalNode(nodeId);
      if (!internal) return;
      const { x, y } = internal.internals.positionAbsolute;
      void setCenter(x + (internal.measured.width ?? 200) / 2, y + (internal.measured.height ?? 100) / 2, {
        zoom: 1.1,
        duration: 300,
      });
    },
    [getInternalNode, setCenter, setNodes, setPanel],
  );

  return { onNodesChange, onEdgesChange, onConnect, addNode, onDrop, updateNodeData, deleteNodes, focusNode };
}
