/**
 * The flow editor: canvas, palette, inspector, live validation, autosave, undo/redo, copy/paste,
 * auto-layout, publishing, versions and the simulator. The graph lives here; panels edit it by callbacks.
 */
import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type FlowValidationResult, validateFlow } from "../../../src/engine/validate-flow.ts";
import { ApiError, api, errorMessage, type FlowDetail, type SimulatorPoll } from "../api.ts";
import { AnalyticsPanel } from "./analytics-overlay.tsx";
import { layoutGraph } from "./auto-layout.ts";
import { EditorToolbar } from "./editor-toolbar.tsx";
import { NODE_COMPONENTS } from "./flow-nodes.tsx";
import { type CanvasEdge, type CanvasNode, serializeGraph, toCanvas } from "./graph.ts";
import { type CanvasHighlight, HighlightContext } from "./highlight-context.ts";
import { Inspector } from "./inspector.tsx";
import { Palette } from "./palette.tsx";
import { SimulatorPanel } from "./simulator-panel.tsx";
import { useAutosave } from "./use-autosave.ts";
import { type EditorGraph, type EditorPanel, useCanvasHandlers } from "./use-canvas-handlers.ts";
import { useEditorShortcuts } from "./use-editor-shortcuts.ts";
import { useFlowAnalytics } from "./use-flow-analytics.ts";
import { type GraphSnapshot, useGraphHistory } from "./use-graph-history.ts";
import { ValidationPanel } from "./validation-panel.tsx";
import { VersionsDrawer } from "./versions-drawer.tsx";

type Execution = SimulatorPoll["execution"];

/** The whole editor screen for one flow; `onReload` refetches it after a conflict or a restored version. */
export function Editor({ flow, onReload }: { flow: FlowDetail; onReload: () => void }) {
  const initial = useMemo(() => toCanvas({ nodes: flow.nodes ?? [], edges: flow.edges ?? [] }), [flow]);
  const [nodes, setNodes] = useState<CanvasNode[]>(initial.nodes);
  const [edges, setEdges] = useState<CanvasEdge[]>(initial.edges);
  const [name, setName] = useState(flow.name);
  const [status, setStatus] = useState({ is_published: flow.is_published, is_active: flow.is_active });
  const [revision, setRevision] = useState(0);
  const [panel, setPanel] = useState<EditorPanel>("inspector");
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
  const analytics = useFlowAnalytics(flow.id);
  const { fitView } = useReactFlow();

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

  const graph: EditorGraph = {
    nodesRef,
    edgesRef,
    setNodes,
    setEdges,
    history,
    snapshot,
    markChanged,
    commit,
  };
  const { onNodesChange, onEdgesChange, onConnect, addNode, onDrop, updateNodeData, deleteNodes, focusNode } =
    useCanvasHandlers(graph, wrapper, setPanel);
  const { undo, redo } = useEditorShortcuts(graph);

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
      analytics: analytics.byNode,
    };
  }, [validation, execution, analytics.byNode]);

  const selected = nodes.filter((node) => node.selected);
  const saveState = autosave.state;
  const hasErrors = validation.errorCount > 0;

  return (
    <div className="editor" data-testid="editor">
      <EditorToolbar
        name={name}
        onNameChange={(next) => {
          setName(next);
          markChanged();
        }}
        status={status}
        saveState={saveState}
        saveError={autosave.error}
        canUndo={history.canUndo}
        canRedo={history.canRedo}
        onUndo={undo}
        onRedo={redo}
        onAutoLayout={autoLayout}
        onFit={() => void fitView({ padding: 0.2, duration: 300 })}
        onOpenVersions={() => setShowVersions(true)}
        analytics={analytics.state}
        onToggleAnalytics={analytics.toggle}
        panel={panel}
        onPanelChange={setPanel}
        publishing={publishing}
        hasErrors={hasErrors}
        onPublish={(action) => void publish(action)}
      />
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
                <AnalyticsPanel state={analytics.state} />
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
