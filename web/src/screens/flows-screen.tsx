/** The flows list: search, status, counts, and create / duplicate / delete / import / export. */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage, type FlowSummary, type Page } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { PageBanners } from "../components/page-banners.tsx";
import { Pager } from "../components/pager.tsx";
import { TableRows } from "../components/table-rows.tsx";
import { downloadJson, formatDate, slugify } from "../download.ts";
import { hrefFor, navigate } from "../router.ts";

const NEW_FLOW_GRAPH = {
  nodes: [{ id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: [] } }],
  edges: [],
};

export function FlowsScreen() {
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page<FlowSummary> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<FlowSummary | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(search.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setList(await api.listFlows({ q: query, page }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setLoading(false);
    }
  }, [query, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    setNotice(null);
    setError(null);
    try {
      await action();
      setNotice(done);
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const exportFlow = (flow: FlowSummary) =>
    run(
      async () => downloadJson(`${slugify(flow.name)}.json`, await api.exportFlow(flow.id)),
      `Exported “${flow.name}”.`,
    );

  const importFile = async (file: File) => {
    await run(async () => {
      const document_: unknown = JSON.parse(await file.text());
      await api.importFlow(document_);
    }, `Imported ${file.name}.`);
    if (fileInput.current) fileInput.current.value = "";
  };

  const results = list?.results ?? [];
  return (
    <section className="page" aria-labelledby="flows-title">
      <div className="page-head">
        <h1 id="flows-title">Flows</h1>
        <span className="spacer" />
        <input
          type="search"
          className="search"
          placeholder="Search flows"
          aria-label="Search flows"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="flows-search"
        />
        <button
          type="button"
          className="btn"
          onClick={() => fileInput.current?.click()}
          data-testid="flows-import"
        >
          Import JSON
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          data-testid="flows-import-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void importFile(file);
          }}
        />
        <button
          type="button"
          className="btn primary"
          onClick={() => setCreating(true)}
          data-testid="flows-create"
        >
          New flow
        </button>
      </div>
      {creating ? <CreateFlowForm onCancel={() => setCreating(false)} onError={setError} /> : null}
      <PageBanners notice={notice} error={error} onRetry={() => void load()} />
      <table className="table" data-testid="flows-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Nodes
            </th>
            <th scope="col" className="num">
              Triggers
            </th>
            <th scope="col" className="num">
              Executions
            </th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={results}
            loading={loading}
            columns={7}
            loadingText="Loading flows…"
            emptyText={query ? `No flow matches “${query}”.` : "No flows yet. Create one to start."}
          >
            {(flow) => (
              <tr key={flow.id} data-testid={`flow-row-${flow.id}`}>
                <td>
                  <a href={hrefFor({ name: "editor", flowId: flow.id })} className="strong">
                    {flow.name}
                  </a>
                  {flow.description ? <div className="muted small">{flow.description}</div> : null}
                </td>
                <td>
                  <StatusBadges flow={flow} />
                </td>
                <td className="num">{flow.node_count}</td>
                <td className="num">{flow.trigger_count}</td>
                <td className="num">{flow.execution_count}</td>
                <td className="small">{formatDate(flow.updated_at)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => void run(() => api.duplicateFlow(flow.id), `Duplicated “${flow.name}”.`)}
                    data-testid={`flow-duplicate-${flow.id}`}
                  >
                    Duplicate
                  </button>
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => void exportFlow(flow)}
                    data-testid={`flow-export-${flow.id}`}
                  >
                    Export
                  </button>
                  <button
                    type="button"
                    className="btn small danger"
                    onClick={() => setToDelete(flow)}
                    data-testid={`flow-delete-${flow.id}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
      <Pager page={page} list={list} noun={["flow", "flows"]} onPage={setPage} />
      {toDelete ? (
        <ConfirmDialog
          title="Delete flow?"
          message={`“${toDelete.name}” and its versions will be deleted. This cannot be undone.`}
          confirmLabel="Delete"
          danger
          onCancel={() => setToDelete(null)}
          onConfirm={() => {
            const flow = toDelete;
            setToDelete(null);
            void run(() => api.deleteFlow(flow.id), `Deleted “${flow.name}”.`);
          }}
        />
      ) : null}
    </section>
  );
}

export function StatusBadges({ flow }: { flow: { is_published: boolean; is_active: boolean } }) {
  return (
    <span className="badges">
      {flow.is_published ? (
        <span className="badge published">Published</span>
      ) : (
        <span className="badge draft">Draft</span>
      )}
      {flow.is_active ? <span className="badge active">Active</span> : null}
    </span>
  );
}

function CreateFlowForm({ onCancel, onError }: { onCancel: () => void; onError: (message: string) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const flow = await api.createFlow({
        name: name.trim(),
        description: description.trim(),
        ...NEW_FLOW_GRAPH,
      });
      navigate({ name: "editor", flowId: flow.id });
    } catch (caught) {
      onError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <form className="card inline-form" onSubmit={(event) => void submit(event)} aria-label="New flow">
      <label className="field">
        <span>Name</span>
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          data-testid="create-flow-name"
        />
      </label>
      <label className="field grow">
        <span>Description</span>
        <input
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          data-testid="create-flow-description"
        />
      </label>
      <button
        type="submit"
        className="btn primary"
        disabled={busy || name.trim() === ""}
        data-testid="create-flow-submit"
      >
        {busy ? "Creating…" : "Create"}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
