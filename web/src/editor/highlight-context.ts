/** What the canvas paints over nodes without touching the graph: simulator progress and problems. */
import { createContext, useContext } from "react";

export interface CanvasHighlight {
  currentNodeId: string | null;
  visited: ReadonlySet<string>;
  issues: ReadonlyMap<string, "error" | "warning">;
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
