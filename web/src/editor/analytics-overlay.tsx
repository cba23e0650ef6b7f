/**
 * The analytics overlay's pieces: the toolbar's switch, a badge over each canvas node (visits and
 * drop-offs) and a panel on the canvas with the flow's summary (executions, completion rate) or the
 * fetch's loading and error states. The summary sits on the canvas so the toolbar keeps to one row.
 */
import { Panel } from "@xyflow/react";
import type { NodeAnalytics } from "../api.ts";
import { type AnalyticsState, formatPercent } from "./use-flow-analytics.ts";

/** Visits and drop-offs of one node; a node no execution reached shows zeros. */
export function AnalyticsBadge({
  nodeId,
  analytics,
}: {
  nodeId: string;
  analytics: NodeAnalytics | undefined;
}) {
  const visits = analytics?.visits ?? 0;
  const dropped = analytics?.dropped_here ?? 0;
  const waiting = analytics?.waiting_now ?? 0;
  const title =
    `${plural(visits, "execution")} entered this node; ${dropped} stopped here ` +
    `(${waiting} still waiting for input, the rest expired, failed or cancelled).`;
  return (
    <div
      className={dropped > 0 ? "analytics-badge has-drop" : "analytics-badge"}
      data-testid={`analytics-node-${nodeId}`}
      title={title}
    >
      <span className="analytics-visits">{plural(visits, "visit")}</span>
      <span aria-hidden="true">·</span>
      <span className="analytics-drop">
        {dropped} dropped ({formatPercent(analytics?.drop_off_rate ?? 0)})
      </span>
    </div>
  );
}

/** The toolbar's "Analytics" switch; pressed while the overlay shows. */
export function AnalyticsToggle({ state, onToggle }: { state: AnalyticsState; onToggle: () => void }) {
  const on = state.status !== "off";
  return (
    <button
      type="button"
      className={on ? "btn small active" : "btn small"}
      onClick={onToggle}
      aria-pressed={on}
      data-testid="analytics-toggle"
      title="Show per-node visits and drop-offs on the canvas"
    >
      Analytics
    </button>
  );
}

/** The summary panel in the canvas' top-right corner while the overlay is on; render inside ReactFlow. */
export function AnalyticsPanel({ state }: { state: AnalyticsState }) {
  if (state.status === "off") return null;
  return (
    <Panel position="top-right" className="analytics-panel">
      <AnalyticsSummary state={state} />
    </Panel>
  );
}

function AnalyticsSummary({ state }: { state: AnalyticsState }) {
  if (state.status === "loading") {
    return (
      <span className="analytics-summary muted" role="status" data-testid="analytics-summary">
        Loading analytics…
      </span>
    );
  }
  if (state.status === "error") {
    return (
      <span className="analytics-summary error" role="alert" data-testid="analytics-summary">
        Analytics failed: {state.message}
      </span>
    );
  }
  if (state.status !== "ready") return null;
  const { executions, completion_rate } = state.data;
  return (
    <span className="analytics-summary" role="status" data-testid="analytics-summary">
      {plural(executions, "execution")} · {formatPercent(completion_rate)} completion
    </span>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
