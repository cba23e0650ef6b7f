/** Loads a flow and mounts the editor; a reload (conflict, restore) fetches it again and remounts. */
import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, type FlowDetail } from "../api.ts";
import { hrefFor } from "../router.ts";
import { Editor } from "./editor.tsx";

export function EditorScreen({ flowId }: { flowId: string }) {
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    setError(null);
    setFlow(null);
    try {
      setFlow(await api.getFlow(flowId));
      setGeneration((value) => value + 1);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [flowId]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) {
    return (
      <div className="center-screen">
        <div className="card">
          <p className="error-text" role="alert">
            Could not load the flow: {error}
          </p>
          <button type="button" className="btn primary" onClick={() => void load()}>
            Retry
          </button>{" "}
          <a href={hrefFor({ name: "flows" })}>Back to flows</a>
        </div>
      </div>
    );
  }
  if (!flow)
    return (
      <div className="center-screen" role="status">
        Loading flow…
      </div>
    );
  return (
    <ReactFlowProvider key={generation}>
      <Editor flow={flow} onReload={() => void load()} />
    </ReactFlowProvider>
  );
}
