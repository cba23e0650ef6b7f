/** Copies a value to the clipboard; says so, or asks to copy by hand when the browser refuses. */
import { useEffect, useState } from "react";

interface CopyButtonProps {
  value: string;
  testId: string;
  /** What is copied, for screen readers: "Copy webhook URL". */
  label: string;
}

export function CopyButton({ value, testId, label }: CopyButtonProps) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  };

  return (
    <button
      type="button"
      className="btn small"
      onClick={() => void copy()}
      title={label}
      data-testid={testId}
      data-state={state}
    >
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text" : "Copy"}
      </span>
      <span className="sr-only">{label.replace(/^Copy\s*/i, "")}</span>
    </button>
  );
}
