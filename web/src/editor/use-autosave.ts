/**
 * Saves the draft 1.5 s after the last change, one request at a time, sending the `updated_at` it
 * loaded; a 409 means someone else saved, and saving stops until the author reloads.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, errorMessage, type FlowInput } from "../api.ts";

export type SaveState = "saved" | "dirty" | "saving" | "conflict" | "error";

const DEBOUNCE_MS = 1500;

export function useAutosave(
  flowId: string,
  initialUpdatedAt: string,
  revision: number,
  readPayload: () => FlowInput,
) {
  const [state, setState] = useState<SaveState>("saved");
  const [error, setError] = useState<string | null>(null);
  const updatedAt = useRef(initialUpdatedAt);
  const savedRevision = useRef(revision);
  const latestRevision = useRef(revision);
  latestRevision.current = revision;
  const inFlight = useRef<Promise<boolean> | null>(null);
  const conflict = useRef(false);
  const payload = useRef(readPayload);
  payload.current = readPayload;

  const save = useCallback(async (): Promise<boolean> => {
    while (inFlight.current) await inFlight.current;
    if (conflict.current) return false;
    const target = latestRevision.current;
    if (target === savedRevision.current) return true;
    const run = (async () => {
      setState("saving");
      try {
        const saved = await api.updateFlow(flowId, { ...payload.current(), updated_at: updatedAt.current });
        if (typeof saved?.updated_at === "string") updatedAt.current = saved.updated_at;
        savedRevision.current = target;
        setError(null);
        setState(latestRevision.current === target ? "saved" : "dirty");
        return true;
      } catch (caught) {
        if (caught instanceof ApiError && (caught.status === 409 || caught.code === "CONFLICT")) {
          conflict.current = true;
          setState("conflict");
        } else {
          setError(errorMessage(caught));
          setState("error");
        }
        return false;
      } finally {
        inFlight.current = null;
      }
    })();
    inFlight.current = run;
    return run;
  }, [flowId]);

  useEffect(() => {
    if (revision === savedRevision.current || conflict.current) return;
    setState("dirty");
    const timer = setTimeout(() => void save(), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [revision, save]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (latestRevision.current !== savedRevision.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  /** Adopts the server's `updated_at` after an action (publish) that changed the flow row. */
  const adoptUpdatedAt = useCallback((value: unknown) => {
    if (typeof value === "string") updatedAt.current = value;
  }, []);

  return { state, error, save, adoptUpdatedAt };
}
