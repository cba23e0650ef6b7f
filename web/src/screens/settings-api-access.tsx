/**
 * Settings → API access: the organization's one client. The key is shown once (after create or
 * rotate) with a copy button; the client gets tokens only once approved.
 */
import { useCallback, useEffect, useState } from "react";
import { type ApiAccess, api } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { CopyButton } from "../components/copy-button.tsx";
import { formatDate } from "../download.ts";
import { settingsError } from "./settings-shared.ts";

type Loaded = { state: "loading" } | { state: "ready"; access: ApiAccess | null };

export function ApiAccessTab() {
  const [loaded, setLoaded] = useState<Loaded>({ state: "loading" });
  const [secret, setSecret] = useState<{ clientId: string; apiKey: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);

  const load = useCallback(async () => {
    try {
      setLoaded({ state: "ready", access: (await api.getApiAccess()).apiAccess });
    } catch (caught) {
      setError(settingsError(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<ApiAccess & { apiKey?: string }>) => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      const { apiKey, ...access } = result;
      if (apiKey) setSecret({ clientId: access.clientId, apiKey });
      setLoaded({ state: "ready", access });
    } catch (caught) {
      setError(settingsError(caught));
      await load();
    } finally {
      setBusy(false);
    }
  };

  const access = loaded.state === "ready" ? loaded.access : null;
  return (
    <div data-testid="settings-api-access">
      <div className="section-head">
        <h2>API access</h2>
      </div>
      <p className="muted small">
        One client per organization. Exchange its client id and key for a token at{" "}
        <code>POST /api/auth/api-token</code>; tokens act with the admin role. The client works only once
        approved.
      </p>
      {error ? (
        <div className="banner error" role="alert">
          {error}{" "}
          <button type="button" className="btn small" onClick={() => void load()}>
            Retry
          </button>
        </div>
      ) : null}
      {secret ? (
        <section className="card key-once" aria-label="New API key" data-testid="api-access-key-once">
          <div className="banner warning" role="alert">
            Copy the API key now: it is shown only this once and cannot be recovered. Rotate it if it is lost.
          </div>
          <dl className="key-list">
            <dt>Client id</dt>
            <dd className="copy-row">
              <code data-testid="api-access-new-client-id">{secret.clientId}</code>
              <CopyButton value={secret.clientId} label="Copy client id" testId="api-access-client-id-copy" />
            </dd>
            <dt>API key</dt>
            <dd className="copy-row">
              <code data-testid="api-access-key">{secret.apiKey}</code>
              <CopyButton value={secret.apiKey} label="Copy API key" testId="api-access-key-copy" />
            </dd>
          </dl>
          <button
            type="button"
            className="btn"
            onClick={() => setSecret(null)}
            data-testid="api-access-key-dismiss"
          >
            I have stored the key
          </button>
        </section>
      ) : null}
      {loaded.state === "loading" && !error ? (
        <p className="muted" role="status">
          Loading API access…
        </p>
      ) : loaded.state === "ready" && access === null ? (
        <div className="card">
          <p>No API client yet.</p>
          <button
            type="button"
            className="btn primary"
            disabled={busy}
            onClick={() => void run(() => api.createApiAccess())}
            data-testid="api-access-create"
          >
            {busy ? "Creating…" : "Create API client"}
          </button>
        </div>
      ) : access ? (
        <div className="card" data-testid="api-access-client">
          <dl className="key-list">
            <dt>Client id</dt>
            <dd className="copy-row">
              <code data-testid="api-access-client-id">{access.clientId}</code>
              <CopyButton value={access.clientId} label="Copy client id" testId="api-access-id-copy" />
            </dd>
            <dt>Status</dt>
            <dd>
              <span className={`badge ${access.approved ? "ok" : "warning"}`} data-testid="api-access-status">
                {access.approved ? "Approved" : "Waiting for approval"}
              </span>
            </dd>
            <dt>Created</dt>
            <dd className="small">{formatDate(access.createdAt)}</dd>
            <dt>Key rotated</dt>
            <dd className="small">{access.rotatedAt ? formatDate(access.rotatedAt) : "Never"}</dd>
          </dl>
          <div className="button-row">
            {access.approved ? (
              <button
                type="button"
                className="btn danger"
                disabled={busy}
                onClick={() => void run(() => api.approveApiAccess(false))}
                data-testid="api-access-block"
              >
                Block
              </button>
            ) : (
              <button
                type="button"
                className="btn primary"
                disabled={busy}
                onClick={() => void run(() => api.approveApiAccess(true))}
                data-testid="api-access-approve"
              >
                Approve
              </button>
            )}
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => setConfirmRotate(true)}
              data-testid="api-access-rotate"
            >
              Rotate key
            </button>
          </div>
        </div>
      ) : null}
      {confirmRotate ? (
        <ConfirmDialog
          title="Rotate the API key?"
          message="A new key is created and shown once; the current key stops working immediately."
          confirmLabel="Rotate"
          danger
          onConfirm={() => {
            setConfirmRotate(false);
            void run(() => api.rotateApiAccess());
          }}
          onCancel={() => setConfirmRotate(false)}
        />
      ) : null}
    </div>
  );
}
