/**
 * What the canvas paints over nodes without touching the graph: simulator progress, problems and,
 * when the analytics overlay is on, each node's visits and drop-offs.
 */
import { createContext, useContext } from "react";
import type { NodeAnalytics } from "../api.ts";

export interface CanvasHighlight {
  currentNodeId: string | null;
  visited: ReadonlySet<string>;
  issues: ReadonlyMap<string, "error" | "warning">;
  /** Per-node analytics while the overlay is on; a node missing from the map had no visits. */
  analytics?: ReadonlyMap<string, NodeAnalytics> | null;
}

export const EMPTY_HIGHLIGHT: CanvasHighlight = {
  currentNodeId: null,
  visited: new Set(),
  issues: new Map(),
};

export const HighlightContext = createContext<CanvasHighlight>(EMPTY_HIGHLIGHT);

export function useHighlight(): CanvasHighlight {
  return useContext(HighlightContext);
}
