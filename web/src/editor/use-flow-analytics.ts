/**
 * The editor's analytics overlay: off by default; each time it is switched on it fetches the flow's
 * per-node analytics afresh, so the numbers include the runs made since it was last shown.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, errorMessage, type FlowAnalytics, type NodeAnalytics } from "../api.ts";

export type AnalyticsState =
  | { status: "off" }
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; data: FlowAnalytics };

export interface FlowAnalyticsOverlay {
  state: AnalyticsState;
  /** Per-node numbers while the overlay shows them; null when off, loading or failed. */
  byNode: ReadonlyMap<string, NodeAnalytics> | null;
  toggle: () => void;
}

/** Owns the overlay's on/off switch and the fetch that follows switching it on. */
export function useFlowAnalytics(flowId: string): FlowAnalyticsOverlay {
  const [enabled, setEnabled] = useState(false);
  const [state, setState] = useState<AnalyticsState>({ status: "off" });

  useEffect(() => {
    if (!enabled) {
      setState({ status: "off" });
      return;
    }
    let current = true;
    setState({ status: "loading" });
    api.getFlowAnalytics(flowId).then(
      (data) => {
        if (current) setState({ status: "ready", data });
      },
      (error: unknown) => {
        if (current) setState({ status: "error", message: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [enabled, flowId]);

  const byNode = useMemo(
    () => (state.status === "ready" ? new Map(state.data.nodes.map((node) => [node.node_id, node])) : null),
    [state],
  );
  const toggle = useCallback(() => setEnabled((value) => !value), []);
  return { state, byNode, toggle };
}

/** A rate from 0 to 1 as a whole percentage, e.g. "33 %". */
export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}
