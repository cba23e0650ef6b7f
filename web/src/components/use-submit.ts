/** A form's submit: `busy` while the action runs, a readable error when it fails. */
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api.ts";

/** Runs `action` on submit; `describe` turns its failure into the message shown (default: the API's). */
export function useSubmit(action: () => Promise<void>, describe: (caught: unknown) => string = errorMessage) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
