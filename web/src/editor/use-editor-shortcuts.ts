/**
 * Undo/redo and copy/paste of the editor's graph, and their keyboard shortcuts (Ctrl/Cmd+Z, Shift+Z or
 * Y, C, V), which stay out of the way while the author types in a field.
 */
import { useCallback, useEffect } from "react";
import { newId } from "./node-catalog.ts";
import type { EditorGraph } from "./use-canvas-handlers.ts";
import type { GraphSnapshot } from "./use-graph-history.ts";

/** Copied nodes survive switching flows, so authors can paste into another flow. */
let clipboard: GraphSnapshot | null = null;

/** Installs the shortcuts on `window` and returns undo and redo for the toolbar. */
export function useEditorShortcuts(graph: EditorGraph): { undo: () => void; redo: () => void } {
  // Refs and setters are stable; listed in dependencies only because the linter cannot see their origin.
  const { nodesRef, edgesRef, setNodes, setEdges, history, snapshot, markChanged, commit } = graph;

  const undo = useCallback(() => {
    const previous = history.undo(snapshot());
    if (!previous) return;
    setNodes(previous.nodes);
    setEdges(previous.edges);
    markChanged();
  }, [history, snapshot, markChanged, setNodes, setEdges]);

  const redo = useCallback(() => {
    const next = history.redo(snapshot());
    if (!next) return;
    setNodes(next.nodes);
    setEdges(next.edges);
    markChanged();
  }, [history, snapshot, markChanged, setNodes, setEdges]);

  const copy = useCallback(() => {
    const picked = nodesRef.current.filter((node) => node.selected);
    if (picked.length === 0) return;
    const ids = new Set(picked.map((node) => node.id));
    clipboard = {
      nodes: picked,
      edges: edgesRef.current.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
    };
  }, [nodesRef, edgesRef]);

  const paste = useCallback(() => {
    if (!clipboard) return;
    const renamed = new Map(clipboard.nodes.map((node) => [node.id, newId(node.type ?? "node")]));
    const pasted = clipboard.nodes.map((node) => ({
      id: renamed.get(node.id) ?? newId("node"),
      type: node.type,
      position: { x: node.position.x + 40, y: node.position.y + 40 },
      data: structuredClone(node.data),
      selected: true,
    }));
    const pastedEdges = clipboard.edges.map((edge) => ({
      ...edge,
      id: newId("e"),
      source: renamed.get(edge.source) ?? edge.source,
      target: renamed.get(edge.target) ?? edge.target,
      selected: false,
    }));
    clipboard = { nodes: pasted, edges: pastedEdges };
    commit({
      nodes: [
        ...nodesRef.current.map((node) => (node.selected ? { ...node, selected: false } : node)),
        ...pasted,
      ],
      edges: [...edgesRef.current, ...pastedEdges],
    });
  }, [commit, nodesRef, edgesRef]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target;
      if (
        target instanceof HTMLElement &&
        (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
      )
        return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) undo();
      else if ((key === "z" && event.shiftKey) || key === "y") redo();
      else if (key === "c") copy();
      else if (key === "v") paste();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, copy, paste]);

  return { undo, redo };
}
