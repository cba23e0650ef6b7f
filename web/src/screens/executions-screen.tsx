/** Executions list with flow and status filters; a row opens its detail. */
import { useCallback, useEffect, useState } from "react";
import { EXECUTION_STATUSES } from "../../../src/core/execution.ts";
import { api, type ExecutionSummary, errorMessage, type FlowSummary, type Page } from "../api.ts";
import { PageBanners } from "../components/page-banners.tsx";
import { Pager } from "../components/pager.tsx";
import { TableRows } from "../components/table-rows.tsx";
import { formatDate } from "../download.ts";
import { hrefFor, navigate } from "../router.ts";

const STATUSES = ["", ...EXECUTION_STATUSES] as const;

export function ExecutionsScreen() {
  const [flowId, setFlowId] = useState("");
  const [status, setStatus] = useState("");
  const [page, setPage] = useState(1);
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [list, setList] = useState<Page<ExecutionSummary> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.listFlows({}).then(
      (body) => setFlows(body.results),
      () => setFlows([]),
    );
  }, []);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setList(await api.listExecutions({ flow_id: flowId, status, page }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setLoading(false);
    }
  }, [flowId, status, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const flowName = (id: string) => flows.find((flow) => flow.id === id)?.name ?? id;
  const results = list?.results ?? [];
  return (
    <section className="page" aria-labelledby="executions-title">
      <div className="page-head">
        <h1 id="executions-title">Executions</h1>
        <span className="spacer" />
        <label className="inline-label">
          Flow
          <select
            value={flowId}
            onChange={(event) => {
              setFlowId(event.target.value);
              setPage(1);
            }}
            data-testid="executions-filter-flow"
          >
            <option value="">All flows</option>
            {flows.map((flow) => (
              <option key={flow.id} value={flow.id}>
                {flow.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          Status
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value);
              setPage(1);
            }}
            data-testid="executions-filter-status"
          >
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value === "" ? "Any status" : value}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      <PageBanners error={error} />
      <table className="table" data-testid="executions-table">
        <thead>
          <tr>
            <th scope="col">Execution</th>
            <th scope="col">Flow</th>
            <th scope="col">Contact</th>
            <th scope="col">Status</th>
            <th scope="col">Current node</th>
            <th scope="col">Started</th>
            <th scope="col">Completed</th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={results}
            loading={loading}
            columns={7}
            loadingText="Loading executions…"
            emptyText="No executions match."
          >
            {(execution) => (
              <tr
                key={execution.id}
                className="clickable"
                onClick={() => navigate({ name: "execution", executionId: execution.id })}
                data-testid={`execution-row-${execution.id}`}
              >
                <td>
                  <a href={hrefFor({ name: "execution", executionId: execution.id })}>
                    <code>{execution.id.slice(0, 8)}</code>
                  </a>
                </td>
                <td>{flowName(execution.flow_id)}</td>
                <td>
                  <code className="small">{execution.contact_id}</code>
                </td>
                <td>
                  <span className={`badge status-${execution.status}`}>{execution.status}</span>
                </td>
                <td>
                  <code className="small">{execution.current_node_id ?? "—"}</code>
                </td>
                <td className="small">{formatDate(execution.started_at)}</td>
                <td className="small">{formatDate(execution.completed_at)}</td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
      <Pager page={page} list={list} noun={["execution", "executions"]} onPage={setPage} />
    </section>
  );
}
