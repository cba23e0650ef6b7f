/**
 * Undo/redo over the graph: snapshots of nodes and edges taken before each change. Edits to the same
 * field in quick succession (typing) fold into one step.
 */
import { useCallback, useRef, useState } from "react";
import type { CanvasEdge, CanvasNode } from "./graph.ts";

export interface GraphSnapshot {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

const LIMIT = 100;
const COALESCE_MS = 1000;

export function useGraphHistory() {
  const past = useRef<GraphSnapshot[]>([]);
  const future = useRef<GraphSnapshot[]>([]);
  const last = useRef<{ key: string; at: number } | null>(null);
  const [, setTick] = useState(0);
  const refresh = useCallback(() => setTick((tick) => tick + 1), []);

  /** Records the state before a change; `key` folds repeated edits of one thing into one step. */
  const record = useCallback(
    (before: GraphSnapshot, key?: string) => {
      const now = Date.now();
      if (key && last.current?.key === key && now - last.current.at < COALESCE_MS) {
        last.current.at = now;
        return;
      }
      last.current = key ? { key, at: now } : null;
      past.current = [...past.current.slice(-(LIMIT - 1)), before];
      future.current = [];
      refresh();
    },
    [refresh],
  );

  const undo = useCallback(
    (current: GraphSnapshot): GraphSnapshot | undefined => {
      const previous = past.current.at(-1);
      if (!previous) return undefined;
      past.current = past.current.slice(0, -1);
      future.current = [...future.current, current];
      last.current = null;
      refresh();
      return previous;
    },
    [refresh],
  );

  const redo = useCallback(
    (current: GraphSnapshot): GraphSnapshot | undefined => {
      const next = future.current.at(-1);
      if (!next) return undefined;
      future.current = future.current.slice(0, -1);
      past.current = [...past.current, current];
      last.current = null;
      refresh();
      return next;
    },
    [refresh],
  );

  return { record, undo, redo, canUndo: past.current.length > 0, canRedo: future.current.length > 0 };
}
