/**
 * The editor's toolbar: flow name, status, save state, undo/redo, layout, versions, analytics,
 * simulator, publishing.
 */
import { hrefFor } from "../router.ts";
import { StatusBadges } from "../screens/flows-screen.tsx";
import { AnalyticsToggle } from "./analytics-overlay.tsx";
import type { SaveState } from "./use-autosave.ts";
import type { EditorPanel } from "./use-canvas-handlers.ts";
import type { AnalyticsState } from "./use-flow-analytics.ts";

/** What the toolbar shows and the editor actions its buttons trigger. */
export interface EditorToolbarProps {
  name: string;
  onNameChange: (name: string) => void;
  status: { is_published: boolean; is_active: boolean };
  saveState: SaveState;
  saveError: string | null;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onAutoLayout: () => void;
  onFit: () => void;
  onOpenVersions: () => void;
  analytics: AnalyticsState;
  onToggleAnalytics: () => void;
  panel: EditorPanel;
  onPanelChange: (panel: EditorPanel) => void;
  publishing: boolean;
  hasErrors: boolean;
  onPublish: (action: "publish" | "unpublish") => void;
}

/** The row of flow actions above the canvas; publishing is disabled while the flow has errors. */
export function EditorToolbar({
  name,
  onNameChange,
  status,
  saveState,
  saveError,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  onAutoLayout,
  onFit,
  onOpenVersions,
  analytics,
  onToggleAnalytics,
  panel,
  onPanelChange,
  publishing,
  hasErrors,
  onPublish,
}: EditorToolbarProps) {
  return (
    <div className="toolbar" role="toolbar" aria-label="Flow actions">
      <a href={hrefFor({ name: "flows" })} className="btn ghost small">
        ← Flows
      </a>
      <input
        className="flow-name"
        value={name}
        aria-label="Flow name"
        data-testid="flow-name"
        onChange={(event) => onNameChange(event.target.value)}
      />
      <StatusBadges flow={status} />
      <span
        className={`save-state ${saveState}`}
        role="status"
        data-testid="save-state"
        title={saveError ?? undefined}
      >
        {SAVE_LABELS[saveState]}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="btn small"
        onClick={onUndo}
        disabled={!canUndo}
        data-testid="undo"
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        className="btn small"
        onClick={onRedo}
        disabled={!canRedo}
        data-testid="redo"
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
      </button>
      <button type="button" className="btn small" onClick={onAutoLayout} data-testid="auto-layout">
        Auto-layout
      </button>
      <button type="button" className="btn small" onClick={onFit} data-testid="fit-view">
        Fit
      </button>
      <button type="button" className="btn small" onClick={onOpenVersions} data-testid="versions-open">
        Versions
      </button>
      <AnalyticsToggle state={analytics} onToggle={onToggleAnalytics} />
      <button
        type="button"
        className={panel === "simulator" ? "btn small active" : "btn small"}
        onClick={() => onPanelChange(panel === "simulator" ? "inspector" : "simulator")}
        data-testid="simulator-toggle"
        aria-pressed={panel === "simulator"}
      >
        Test
      </button>
      {status.is_published ? (
        <button
          type="button"
          className="btn small"
          onClick={() => onPublish("unpublish")}
          disabled={publishing}
          data-testid="unpublish"
        >
          Unpublish
        </button>
      ) : null}
      <button
        type="button"
        className="btn small primary"
        onClick={() => onPublish("publish")}
        disabled={publishing || hasErrors || saveState === "conflict"}
        title={hasErrors ? "Fix the errors first" : undefined}
        data-testid="publish"
      >
        {publishing ? "Publishing…" : status.is_published ? "Publish changes" : "Publish"}
      </button>
    </div>
  );
}

const SAVE_LABELS: Record<SaveState, string> = {
  saved: "Saved",
  dirty: "Unsaved changes",
  saving: "Saving…",
  conflict: "Conflict",
  error: "Save failed",
};
