/** The flow's saved versions, newest first, each restorable into the draft. */
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, type FlowVersion, readVersions } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { formatDate } from "../download.ts";

export function VersionsDrawer({
  flowId,
  onClose,
  onRestored,
}: {
  flowId: string;
  onClose: () => void;
  onRestored: () => void;
}) {
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<FlowVersion | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const list = readVersions(await api.listVersions(flowId));
      setVersions([...list].sort((a, b) => b.version - a.version));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [flowId]);

  useEffect(() => {
    void load();
  }, [load]);

  const restore = async (version: FlowVersion) => {
    setRestoring(null);
    try {
      await api.restoreVersion(flowId, version.version);
      onRestored();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <aside className="drawer" aria-label="Versions" data-testid="versions-drawer">
      <div className="drawer-head">
        <h2>Versions</h2>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={onClose} data-testid="versions-close">
          Close
        </button>
      </div>
      {error ? (
        <div className="banner error small" role="alert">
          {error}
        </div>
      ) : null}
      {versions === null && !error ? (
        <p className="muted pad" role="status">
          Loading versions…
        </p>
      ) : null}
      {versions?.length === 0 ? <p className="muted pad">No versions yet. Publishing creates one.</p> : null}
      <ul className="versions">
        {versions?.map((version) => (
          <li key={version.version} data-testid={`version-${version.version}`}>
            <div>
              <div className="strong">Version {version.version}</div>
              <div className="muted small">{formatDate(version.published_at ?? version.created_at)}</div>
              {version.note ? <div className="small">{version.note}</div> : null}
            </div>
            <button
              type="button"
              className="btn small"
              onClick={() => setRestoring(version)}
              data-testid={`version-restore-${version.version}`}
            >
              Restore
            </button>
          </li>
        ))}
      </ul>
      {restoring ? (
        <ConfirmDialog
          title={`Restore version ${restoring.version}?`}
          message="The draft is replaced by this version. You can undo by restoring another version."
          confirmLabel="Restore"
          onCancel={() => setRestoring(null)}
          onConfirm={() => void restore(restoring)}
        />
      ) : null}
    </aside>
  );
}
