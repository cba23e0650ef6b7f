/** One execution: its log timeline, variables, and the visited path on a read-only canvas of its flow. */
import { Background, MiniMap, ReactFlow, ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, type ExecutionDetail, errorMessage, type FlowDetail } from "../api.ts";
import { formatDate } from "../download.ts";
import { NODE_COMPONENTS } from "../editor/flow-nodes.tsx";
import { toCanvas } from "../editor/graph.ts";
import { type CanvasHighlight, HighlightContext } from "../editor/highlight-context.ts";
import { hrefFor } from "../router.ts";

export function ExecutionDetailScreen({ executionId }: { executionId: string }) {
  const [execution, setExecution] = useState<ExecutionDetail | null>(null);
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const detail = await api.getExecution(executionId);
      setExecution(detail);
      setFlow(await api.getFlow(detail.flow_id).catch(() => null));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [executionId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) {
    return (
      <div className="page">
        <div className="banner error" role="alert">
          {error}{" "}
          <button type="button" className="btn small" onClick={() => void load()}>
            Retry
          </button>
        </div>
      </div>
    );
  }
  if (!execution)
    return (
      <div className="center-screen" role="status">
        Loading execution…
      </div>
    );
  return (
    <section
      className="page execution-detail"
      aria-labelledby="execution-title"
      data-testid="execution-detail"
    >
      <div className="page-head">
        <a href={hrefFor({ name: "executions" })} className="btn ghost small">
          ← Executions
        </a>
        <h1 id="execution-title">
          Execution <code>{execution.id.slice(0, 8)}</code>
        </h1>
        <span className={`badge status-${execution.status}`}>{execution.status}</span>
        <span className="spacer" />
        <span className="muted small">
          {flow ? <a href={hrefFor({ name: "editor", flowId: flow.id })}>{flow.name}</a> : execution.flow_id}{" "}
          · started {formatDate(execution.started_at)}
          {execution.duration_seconds !== null && execution.duration_seconds !== undefined
            ? ` · ${execution.duration_seconds.toFixed(1)} s`
            : ""}
        </span>
      </div>
      <div className="execution-grid">
        <div className="execution-canvas" data-testid="execution-canvas">
          {flow ? (
            <PathPreview flow={flow} execution={execution} />
          ) : (
            <p className="muted pad">The flow of this execution is not available.</p>
          )}
        </div>
        <div className="execution-side">
          <h2>Timeline</h2>
          <ol className="timeline" data-testid="execution-timeline">
            {execution.logs.length === 0 ? <li className="muted">No log entries.</li> : null}
            {execution.logs.map((log, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: log entries have no id and never reorder
              <li key={`${log.timestamp}-${index}`} className={`log action-${log.action}`}>
                <div className="log-head">
                  <span className="strong">{log.action}</span>
                  {log.node_id ? <code className="small">{log.node_id}</code> : null}
                  {log.node_type ? <span className="muted small">{log.node_type}</span> : null}
                  <span className="spacer" />
                  <time className="muted small">{formatDate(log.timestamp)}</time>
                </div>
                {log.message ? <div className="small">{log.message}</div> : null}
                {log.input_data !== undefined && log.input_data !== null ? (
                  <pre className="small">in: {JSON.stringify(log.input_data)}</pre>
                ) : null}
                {log.output_data !== undefined && log.output_data !== null ? (
                  <pre className="small">out: {JSON.stringify(log.output_data)}</pre>
                ) : null}
              </li>
            ))}
          </ol>
          <h2>Variables</h2>
          {Object.keys(execution.variables ?? {}).length === 0 ? (
            <p className="muted small">None.</p>
          ) : (
            <dl className="variables-list">
              {Object.entries(execution.variables).map(([name, value]) => (
                <div key={name} className="variable">
                  <dt>{name}</dt>
                  <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </div>
    </section>
  );
}

function PathPreview({ flow, execution }: { flow: FlowDetail; execution: ExecutionDetail }) {
  const visited = useMemo(() => new Set(execution.visited_nodes ?? []), [execution]);
  const graph = useMemo(() => {
    const canvas = toCanvas({ nodes: flow.nodes ?? [], edges: flow.edges ?? [] });
    const edges = canvas.edges.map((edge) => {
      const onPath = visited.has(edge.source) && visited.has(edge.target);
      return { ...edge, animated: onPath, className: onPath ? "on-path" : "off-path" };
    });
    return { nodes: canvas.nodes, edges };
  }, [flow, visited]);
  const highlight: CanvasHighlight = { currentNodeId: execution.current_node_id, visited, issues: new Map() };
  return (
    <ReactFlowProvider>
      <HighlightContext.Provider value={highlight}>
        <ReactFlow
          nodes={graph.nodes}
          edges={graph.edges}
          nodeTypes={NODE_COMPONENTS}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          deleteKeyCode={null}
          fitView
          fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
          minZoom={0.1}
        >
          <Background gap={20} />
          <MiniMap pannable zoomable ariaLabel="Mini-map" className="minimap" />
        </ReactFlow>
      </HighlightContext.Provider>
    </ReactFlowProvider>
  );
}
