/** Problems found by validateFlow, live; clicking one selects and centres its node. */
import type { FlowIssue, FlowValidationResult } from "../../../src/engine/validate-flow.ts";

export function ValidationPanel({
  result,
  onSelectNode,
}: {
  result: FlowValidationResult;
  onSelectNode: (nodeId: string) => void;
}) {
  const issues: FlowIssue[] = [...result.errors, ...result.warnings];
  if (issues.length === 0) {
    return (
      <p className="pad ok-text" data-testid="validation-ok">
        ✓ No problems found.
      </p>
    );
  }
  return (
    <ul className="issues" data-testid="validation-list">
      {issues.map((issue, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is recomputed wholesale; two issues can share code and node
        <li key={`${issue.code}-${issue.nodeId ?? ""}-${index}`}>
          <button
            type="button"
            className={`issue ${issue.type}`}
            disabled={issue.nodeId === null}
            onClick={() => issue.nodeId && onSelectNode(issue.nodeId)}
            data-testid={`validation-item-${index}`}
            data-node-id={issue.nodeId ?? undefined}
          >
            <span className={`badge ${issue.type}`}>{issue.type}</span>
            <span>
              {issue.message}
              <span className="muted small">
                {" "}
                {issue.code}
                {issue.nodeId ? ` · ${issue.nodeId}` : ""}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
