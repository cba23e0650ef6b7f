/**
 * The flow editor: canvas, palette, inspector, live validation, autosave, undo/redo, copy/paste,
 * auto-layout, publishing, versions and the simulator. The graph lives here; panels edit it by callbacks.
 */
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { NodeType } from "../../../src/core/flow.ts";
import { isNodeType } from "../../../src/core/flow.ts";
import { type FlowValidationResult, validateFlow } from "../../../src/engine/validate-flow.ts";
import { ApiError, api, errorMessage, type FlowDetail, type SimulatorPoll } from "../api.ts";
import { hrefFor } from "../router.ts";
import { StatusBadges } from "../screens/flows-screen.tsx";
import { layoutGraph } from "./auto-layout.ts";
import { NODE_COMPONENTS } from "./flow-nodes.tsx";
import { type CanvasEdge, type CanvasNode, pruneDanglingEdges, serializeGraph, toCanvas } from "./graph.ts";
import { type CanvasHighlight, HighlightContext } from "./highlight-context.ts";
import { Inspector } from "./inspector.tsx";
import { NODE_INFO, newId } from "./node-catalog.ts";
import { DRAG_MIME, Palette } from "./palette.tsx";
import { SimulatorPanel } from "./simulator-panel.tsx";
import { type SaveState, useAutosave } from "./use-autosave.ts";
import { type GraphSnapshot, useGraphHistory } from "./use-graph-history.ts";
import { ValidationPanel } from "./validation-panel.tsx";
import { VersionsDrawer } from "./versions-drawer.tsx";

/** Copied nodes survive switching flows, so authors can paste into another flow. */
let clipboard: GraphSnapshot | null = null;

const SAVE_LABELS: Record<SaveState, string> = {
  saved: "Saved",
  dirty: "Unsaved changes",
  saving: "Saving…",
  conflict: "Conflict",
  error: "Save failed",
};

type Execution = SimulatorPoll["execution"];

export function Editor({ flow, onReload }: { flow: FlowDetail; onReload: () => void }) {
  const initial = useMemo(() => toCanvas({ nodes: flow.nodes ?? [], edges: flow.edges ?? [] }), [flow]);
  const [nodes, setNodes] = useState<CanvasNode[]>(initial.nodes);
  const [edges, setEdges] = useState<CanvasEdge[]>(initial.edges);
  const [name, setName] = useState(flow.name);
  const [status, setStatus] = useState({ is_published: flow.is_published, is_active: flow.is_active });
  const [revision, setRevision] = useState(0);
  const [panel, setPanel] = useState<"inspector" | "simulator">("inspector");
  const [problemsOpen, setProblemsOpen] = useState(true);
  const [showVersions, setShowVersions] = useState(false);
  const [execution, setExecution] = useState<Execution>(null);
  const [banner, setBanner] = useState<{ kind: "error" | "info"; text: string } | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [validation, setValidation] = useState<FlowValidationResult>(() =>
    validateFlow(serializeGraph(initial.nodes, initial.edges)),
  );
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const edgesRef = useRef(edges);
  edgesRef.current = edges;
  const wrapper = useRef<HTMLDivElement>(null);
  const history = useGraphHistory();
  const { screenToFlowPosition, setCenter, fitView, getInternalNode } = useReactFlow();

  const markChanged = useCallback(() => setRevision((value) => value + 1), []);
  const snapshot = useCallback(
    (): GraphSnapshot => ({ nodes: nodesRef.current, edges: edgesRef.current }),
    [],
  );
  const autosave = useAutosave(flow.id, flow.updated_at, revision, () => ({
    name,
    description: flow.description ?? "",
    ...serializeGraph(nodesRef.current, edgesRef.current),
    ...(flow.menus ? { menus: flow.menus } : {}),
    ...(flow.settings ? { settings: flow.settings } : {}),
  }));

  useEffect(() => {
    const timer = setTimeout(() => setValidation(validateFlow(serializeGraph(nodes, edges))), 200);
    return () => clearTimeout(timer);
  }, [nodes, edges]);

  /** Replaces the graph as one undoable step. */
  const commit = useCallback(
    (next: Partial<GraphSnapshot>, key?: string) => {
      history.record(snapshot(), key);
      if (next.nodes) setNodes(next.nodes);
      if (next.edges) setEdges(next.edges);
      markChanged();
    },
    [history, snapshot, markChanged],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const structural = changes.some(
        (change) => change.type === "remove" || change.type === "add" || change.type === "replace",
      );
      if (structural) history.record(snapshot(), "remove");
      setNodes((current) => applyNodeChanges(changes, current));
      if (structural) markChanged();
    },
    [history, snapshot, markChanged],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      const structural = changes.some(
        (change) => change.type === "remove" || change.type === "add" || change.type === "replace",
      );
      if (structural) history.record(snapshot(), "remove");
      setEdges((current) => applyEdgeChanges(changes, current));
      if (structural) markChanged();
    },
    [history, snapshot, markChanged],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      // One edge per output: the engine follows the first, so a second one would be silently dead.
      const kept = edgesRef.current.filter(
        (edge) =>
          !(
            edge.source === connection.source &&
            (edge.sourceHandle ?? null) === (connection.sourceHandle ?? null)
          ),
      );
      commit({ edges: [...kept, { ...connection, id: newId("e") }] });
    },
    [commit],
  );

  const addNode = useCallback(
    (type: NodeType, position?: { x: number; y: number }) => {
      let at = position;
      if (!at) {
        const box = wrapper.current?.getBoundingClientRect();
        const centre = box
          ? { x: box.left + box.width / 2, y: box.top + box.height / 2 }
          : { x: 400, y: 300 };
        at = screenToFlowPosition(centre);
        at = {
          x: at.x - 110 + (nodesRef.current.length % 5) * 20,
          y: at.y - 50 + (nodesRef.current.length % 5) * 20,
        };
      }
      const node: CanvasNode = {
        id: newId(type),
        type,
        position: at,
        data: NODE_INFO[type].defaultData(),
        selected: true,
      };
      commit({ nodes: [...nodesRef.current.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
      setPanel("inspector");
    },
    [commit, screenToFlowPosition],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault();
      const type = event.dataTransfer.getData(DRAG_MIME);
      if (!isNodeType(type)) return;
      addNode(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [addNode, screenToFlowPosition],
  );

  const updateNodeData = useCallback(
    (nodeId: string, patch: Record<string, unknown>, field: string) => {
      const next = nodesRef.current.map((node) => {
        if (node.id !== nodeId) return node;
        const data = { ...node.data, ...patch };
        for (const [key, value] of Object.entries(patch)) if (value === undefined) delete data[key];
        return { ...node, data };
      });
      commit({ nodes: next, edges: pruneDanglingEdges(next, edgesRef.current) }, `data:${nodeId}:${field}`);
    },
    [commit],
  );

  const deleteNodes = useCallback(
    (ids: ReadonlySet<string>) => {
      if (ids.size === 0) return;
      commit({
        nodes: nodesRef.current.filter((node) => !ids.has(node.id)),
        edges: edgesRef.current.filter((edge) => !ids.has(edge.source) && !ids.has(edge.target)),
      });
    },
    [commit],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      setNodes((current) => current.map((node) => ({ ...node, selected: node.id === nodeId })));
      setPanel("inspector");
      const internal = getInternalNode(nodeId);
      if (!internal) return;
      const { x, y } = internal.internals.positionAbsolute;
      void setCenter(x + (internal.measured.width ?? 200) / 2, y + (internal.measured.height ?? 100) / 2, {
        zoom: 1.1,
        duration: 300,
      });
    },
    [getInternalNode, setCenter],
  );

  const undo = useCallback(() => {
    const previous = history.undo(snapshot());
    if (!previous) return;
    setNodes(previous.nodes);
    setEdges(previous.edges);
    markChanged();
  }, [history, snapshot, markChanged]);

  const redo = useCallback(() => {
    const next = history.redo(snapshot());
    if (!next) return;
    setNodes(next.nodes);
    setEdges(next.edges);
    markChanged();
  }, [history, snapshot, markChanged]);

  const copy = useCallback(() => {
    const picked = nodesRef.current.filter((node) => node.selected);
    if (picked.length === 0) return;
    const ids = new Set(picked.map((node) => node.id));
    clipboard = {
      nodes: picked,
      edges: edgesRef.current.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
    };
  }, []);

  const paste = useCallback(() => {
    if (!clipboard) return;
    const renamed = new Map(clipboard.nodes.map((node) => [node.id, newId(node.type ?? "node")]));
    const pasted = clipboard.nodes.map((node) => ({
      id: renamed.get(node.id) ?? newId("node"),
      type: node.type,
      position: { x: node.position.x + 40, y: node.position.y + 40 },
      data: structuredClone(node.data),
      selected: true,
    }));
    const pastedEdges = clipboard.edges.map((edge) => ({
      ...edge,
      id: newId("e"),
      source: renamed.get(edge.source) ?? edge.source,
      target: renamed.get(edge.target) ?? edge.target,
      selected: false,
    }));
    clipboard = { nodes: pasted, edges: pastedEdges };
    commit({
      nodes: [
        ...nodesRef.current.map((node) => (node.selected ? { ...node, selected: false } : node)),
        ...pasted,
      ],
      edges: [...edgesRef.current, ...pastedEdges],
    });
  }, [commit]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target;
      if (
        target instanceof HTMLElement &&
        (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
      )
        return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) undo();
      else if ((key === "z" && event.shiftKey) || key === "y") redo();
      else if (key === "c") copy();
      else if (key === "v") paste();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, copy, paste]);

  const autoLayout = () => {
    commit({ nodes: layoutGraph(nodesRef.current, edgesRef.current) });
    requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 300 }));
  };

  const publish = async (action: "publish" | "unpublish") => {
    setBanner(null);
    setPublishing(true);
    try {
      if (!(await autosave.save())) throw new Error("Save the flow before publishing.");
      const result = action === "publish" ? await api.publishFlow(flow.id) : await api.unpublishFlow(flow.id);
      autosave.adoptUpdatedAt(result?.updated_at);
      setStatus((old) => ({
        is_published: typeof result?.is_published === "boolean" ? result.is_published : action === "publish",
        is_active: typeof result?.is_active === "boolean" ? result.is_active : old.is_active,
      }));
      setBanner({ kind: "info", text: action === "publish" ? "Published." : "Unpublished." });
    } catch (caught) {
      setBanner({ kind: "error", text: describePublishError(caught) });
    } finally {
      setPublishing(false);
    }
  };

  const highlight = useMemo((): CanvasHighlight => {
    const issues = new Map<string, "error" | "warning">();
    for (const issue of validation.warnings) if (issue.nodeId) issues.set(issue.nodeId, "warning");
    for (const issue of validation.errors) if (issue.nodeId) issues.set(issue.nodeId, "error");
    return {
      currentNodeId: execution?.current_node_id ?? null,
      visited: new Set(execution?.visited_nodes ?? []),
      issues,
    };
  }, [validation, execution]);

  const selected = nodes.filter((node) => node.selected);
  const saveState = autosave.state;
  const hasErrors = validation.errorCount > 0;

  return (
    <div className="editor" data-testid="editor">
      <div className="toolbar" role="toolbar" aria-label="Flow actions">
        <a href={hrefFor({ name: "flows" })} className="btn ghost small">
          ← Flows
        </a>
        <input
          className="flow-name"
          value={name}
          aria-label="Flow name"
          data-testid="flow-name"
          onChange={(event) => {
            setName(event.target.value);
            markChanged();
          }}
        />
        <StatusBadges flow={status} />
        <span
          className={`save-state ${saveState}`}
          role="status"
          data-testid="save-state"
          title={autosave.error ?? undefined}
        >
          {SAVE_LABELS[saveState]}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          onClick={undo}
          disabled={!history.canUndo}
          data-testid="undo"
          title="Undo (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          type="button"
          className="btn small"
          onClick={redo}
          disabled={!history.canRedo}
          data-testid="redo"
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
        <button type="button" className="btn small" onClick={autoLayout} data-testid="auto-layout">
          Auto-layout
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => void fitView({ padding: 0.2, duration: 300 })}
          data-testid="fit-view"
        >
          Fit
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => setShowVersions(true)}
          data-testid="versions-open"
        >
          Versions
        </button>
        <button
          type="button"
          className={panel === "simulator" ? "btn small active" : "btn small"}
          onClick={() => setPanel(panel === "simulator" ? "inspector" : "simulator")}
          data-testid="simulator-toggle"
          aria-pressed={panel === "simulator"}
        >
          Test
        </button>
        {status.is_published ? (
          <button
            type="button"
            className="btn small"
            onClick={() => void publish("unpublish")}
            disabled={publishing}
            data-testid="unpublish"
          >
            Unpublish
          </button>
        ) : null}
        <button
          type="button"
          className="btn small primary"
          onClick={() => void publish("publish")}
          disabled={publishing || hasErrors || saveState === "conflict"}
          title={hasErrors ? "Fix the errors first" : undefined}
          data-testid="publish"
        >
          {publishing ? "Publishing…" : status.is_published ? "Publish changes" : "Publish"}
        </button>
      </div>
      {saveState === "conflict" ? (
        <div className="banner warning" role="alert" data-testid="conflict-banner">
          Someone else saved this flow while you were editing. Your latest changes were not saved.{" "}
          <button type="button" className="btn small" onClick={onReload} data-testid="conflict-reload">
            Reload
          </button>
        </div>
      ) : null}
      {saveState === "error" && autosave.error ? (
        <div className="banner error" role="alert">
          Could not save: {autosave.error}{" "}
          <button type="button" className="btn small" onClick={() => void autosave.save()}>
            Retry
          </button>
        </div>
      ) : null}
      {banner ? (
        <div
          className={`banner ${banner.kind}`}
          role={banner.kind === "error" ? "alert" : "status"}
          data-testid="editor-banner"
        >
          {banner.text}
          <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setBanner(null)}>
            ✕
          </button>
        </div>
      ) : null}
      <div className="editor-body">
        <Palette onAdd={(type) => addNode(type)} />
        <div className="canvas-column">
          {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target for palette drags; keyboard users add nodes by pressing the palette item */}
          <div
            className="canvas"
            ref={wrapper}
            onDragOver={(event) => {
              event.preventDefault();
              event.dataTransfer.dropEffect = "move";
            }}
            onDrop={onDrop}
            data-testid="canvas"
          >
            <HighlightContext.Provider value={highlight}>
              <ReactFlow
                nodes={nodes}
                edges={edges}
                nodeTypes={NODE_COMPONENTS}
                onNodesChange={onNodesChange}
                onEdgesChange={onEdgesChange}
                onConnect={onConnect}
                onNodeDragStart={() => history.record(snapshot())}
                onNodeDragStop={markChanged}
                deleteKeyCode={["Delete", "Backspace"]}
                fitView
                fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
                minZoom={0.1}
              >
                <Background gap={20} />
                <Controls showInteractive={false} />
                <MiniMap
                  pannable
                  zoomable
                  ariaLabel="Mini-map"
                  className="minimap"
                  nodeColor={miniMapColor}
                />
              </ReactFlow>
            </HighlightContext.Provider>
          </div>
          <section
            className={problemsOpen ? "problems open" : "problems"}
            aria-label="Problems"
            data-testid="validation-panel"
          >
            <button
              type="button"
              className="problems-head"
              onClick={() => setProblemsOpen(!problemsOpen)}
              aria-expanded={problemsOpen}
              data-testid="validation-toggle"
            >
              <span className={validation.errorCount > 0 ? "badge error" : "badge ok"}>
                {validation.errorCount} errors
              </span>
              <span className="badge warning">{validation.warningCount} warnings</span>
              <span className="spacer" />
              <span aria-hidden="true">{problemsOpen ? "▾" : "▴"}</span>
            </button>
            {problemsOpen ? <ValidationPanel result={validation} onSelectNode={focusNode} /> : null}
          </section>
        </div>
        <aside className="side-panel" aria-label={panel === "simulator" ? "Simulator" : "Inspector"}>
          <div className="tabs" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={panel === "inspector"}
              className="tab"
              onClick={() => setPanel("inspector")}
              data-testid="tab-inspector"
            >
              Inspector
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={panel === "simulator"}
              className="tab"
              onClick={() => setPanel("simulator")}
              data-testid="tab-simulator"
            >
              Simulator
            </button>
          </div>
          {panel === "simulator" ? (
            <SimulatorPanel flowId={flow.id} prepare={autosave.save} onExecution={setExecution} />
          ) : selected.length > 1 ? (
            <div className="pad">
              <p>{selected.length} nodes selected.</p>
              <button
                type="button"
                className="btn small danger"
                onClick={() => deleteNodes(new Set(selected.map((node) => node.id)))}
              >
                Delete selected
              </button>
            </div>
          ) : (
            <Inspector
              node={selected[0] ?? null}
              onChange={updateNodeData}
              onDelete={(id) => deleteNodes(new Set([id]))}
            />
          )}
        </aside>
        {showVersions ? (
          <VersionsDrawer flowId={flow.id} onClose={() => setShowVersions(false)} onRestored={onReload} />
        ) : null}
      </div>
    </div>
  );
}

const MINIMAP_COLORS: Record<string, string> = {
  start: "#1f6f5c",
  question: "#2f6fed",
  condition: "#c2410c",
  action: "#b91c1c",
};

function miniMapColor(node: CanvasNode): string {
  return MINIMAP_COLORS[node.type ?? ""] ?? "#9aa3b2";
}

function describePublishError(error: unknown): string {
  if (
    error instanceof ApiError &&
    typeof error.body === "object" &&
    error.body !== null &&
    "validation" in error.body
  ) {
    const validation: unknown = error.body.validation;
    if (
      typeof validation === "object" &&
      validation !== null &&
      "errors" in validation &&
      Array.isArray(validation.errors)
    ) {
      const messages = validation.errors.map((issue: unknown) =>
        typeof issue === "object" && issue !== null && "message" in issue
          ? String(issue.message)
          : String(issue),
      );
      return `Publishing was refused: ${messages.slice(0, 3).join("; ")}${messages.length > 3 ? ` (+${messages.length - 3} more)` : ""}`;
    }
  }
  return errorMessage(error);
}
