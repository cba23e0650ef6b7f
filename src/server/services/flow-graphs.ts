/**
 * Graph checks shared by the flow services: parse a draft (every problem with its request path) and
 * derive the trigger keywords from its start nodes (lower-cased, trimmed, deduplicated; seed 000).
 */
import { ParleyError } from "../../core/errors.ts";
import { type FlowGraph, parseFlowGraph } from "../../core/flow.ts";

export interface GraphParts {
  nodes?: unknown[] | undefined;
  edges?: unknown[] | undefined;
  menus?: unknown[] | undefined;
  settings?: Record<string, unknown> | undefined;
}

/**
 * Parses `parts` laid over `base` (a PUT keeps what it does not send). Throws VALIDATION_FAILED whose
 * details name each problem as `{prefix}.nodes[2].data.options`.
 */
export function parseDraftGraph(parts: GraphParts, base?: FlowGraph, prefix = "body"): FlowGraph {
  const parsed = parseFlowGraph({
    version: base?.version,
    nodes: parts.nodes ?? base?.nodes ?? [],
    edges: parts.edges ?? base?.edges ?? [],
    menus: parts.menus ?? base?.menus ?? [],
    settings: parts.settings ?? base?.settings ?? {},
  });
  if (parsed.ok) return parsed.value;
  const details = parsed.problems.map((problem) => ({
    path: problem.path === "(root)" ? prefix : `${prefix}.${problem.path}`,
    message: problem.message,
  }));
  throw new ParleyError("VALIDATION_FAILED", "The flow graph is not valid; see details.", details);
}

/** Every start node's keywords, lower-cased and trimmed, without blanks or repeats. */
export function deriveTriggerKeywords(graph: FlowGraph): string[] {
  const keywords = new Set<string>();
  for (const node of graph.nodes) {
    if (node.type !== "start") continue;
    const listed = node.data.keywords;
    if (!Array.isArray(listed)) continue;
    for (const keyword of listed) {
      if (typeof keyword !== "string") continue;
      const normalized = keyword.trim().toLowerCase();
      if (normalized) keywords.add(normalized);
    }
  }
  return [...keywords];
}
