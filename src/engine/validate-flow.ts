/**
 * Flow validation for the builder and for publishing: every problem at once, each with a stable code,
 * so an author fixes a flow before a contact ever hits the broken branch.
 */
import { type FlowEdge, type FlowNode, flowGraphSchema, isNodeType, parseFlowGraph } from "../core/flow.ts";
import { collectReachable, findStronglyConnected } from "./graph-analysis.ts";
import { inspectNode, type NodeFacts } from "./validate-nodes.ts";

/** One problem; `nodeId` is null for problems of the graph as a whole. */
export interface FlowIssue {
  type: "error" | "warning";
  code: string;
  message: string;
  nodeId: string | null;
}

/** Every problem at once, split by severity; `valid` means no errors (warnings allowed). */
export interface FlowValidationResult {
  valid: boolean;
  errors: FlowIssue[];
  warnings: FlowIssue[];
  errorCount: number;
  warningCount: number;
}

/**
 * Validates a raw graph `{ nodes, edges, ... }` as the builder sends it.
 * @example validateFlow(body.graph).errors.map((issue) => issue.code)
 */
export function validateFlow(input: unknown): FlowValidationResult {
  const parsed = parseFlowGraph(input);
  const issues: FlowIssue[] = parsed.ok
    ? []
    : parsed.problems.map((problem) => ({
        type: "error",
        code: "INVALID_GRAPH",
        message: `${problem.path}: ${problem.message}`,
        nodeId: findRawNodeId(input, problem.path),
      }));
  const graph = parsed.ok ? parsed.value : flowGraphSchema.safeParse(input).data;
  if (graph !== undefined) issues.push(...checkGraph(graph.nodes, graph.edges));
  const errors = issues.filter((issue) => issue.type === "error");
  const warnings = issues.filter((issue) => issue.type === "warning");
  return {
    valid: errors.length === 0,
    errors,
    warnings,
    errorCount: errors.length,
    warningCount: warnings.length,
  };
}

interface Graph {
  nodes: FlowNode[];
  facts: Map<string, NodeFacts>;
  successors: Map<string, string[]>;
  predecessors: Map<string, string[]>;
}

function checkGraph(allNodes: readonly FlowNode[], edges: readonly FlowEdge[]): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const add = (type: FlowIssue["type"], code: string, message: string, nodeId: string | null) =>
    issues.push({ type, code, message, nodeId });

  const nodes: FlowNode[] = [];
  const nodeIds = new Set<string>();
  for (const node of allNodes) {
    if (nodeIds.has(node.id))
      add("error", "DUPLICATE_NODE_ID", `Node id "${node.id}" is used twice`, node.id);
    else nodes.push(node);
    nodeIds.add(node.id);
  }
  const starts = nodes.filter((node) => node.type === "start");
  if (starts.length === 0) add("error", "NO_START_NODE", "Flow must have at least one trigger node", null);

  const facts = new Map<string, NodeFacts>();
  for (const node of nodes) {
    if (!isNodeType(node.type)) {
      add("error", "UNKNOWN_NODE_TYPE", `Node type "${node.type}" is not supported`, node.id);
      continue;
    }
    const nodeFacts = inspectNode(node, nodeIds);
    facts.set(node.id, nodeFacts);
    for (const issue of nodeFacts.issues) add(issue.type, issue.code, issue.message, node.id);
  }
  issues.push(...checkKeywords(starts, facts));

  const graph: Graph = { nodes, facts, successors: new Map(), predecessors: new Map() };
  const edgeIds = new Set<string>();
  const sources = new Set<string>();
  for (const edge of edges) {
    if (edgeIds.has(edge.id)) add("error", "DUPLICATE_EDGE_ID", `Edge id "${edge.id}" is used twice`, null);
    edgeIds.add(edge.id);
    sources.add(edge.source);
    if (!nodeIds.has(edge.source)) {
      add("error", "EDGE_SOURCE_MISSING", `Edge "${edge.id}" starts at missing node "${edge.source}"`, null);
    } else if (!nodeIds.has(edge.target)) {
      const message = `Edge "${edge.id}" points to missing node "${edge.target}"`;
      add("error", "EDGE_TARGET_MISSING", message, edge.source);
    } else connect(graph, edge.source, edge.target);
  }
  for (const [id, nodeFacts] of facts) {
    if (nodeFacts.jumpTarget !== undefined && nodeIds.has(nodeFacts.jumpTarget)) {
      connect(graph, id, nodeFacts.jumpTarget);
    }
  }

  issues.push(...checkConnections(graph, starts, sources));
  issues.push(...checkLoops(graph));
  issues.push(...checkVariables(graph));
  return issues;
}

function connect(graph: Graph, source: string, target: string): void {
  graph.successors.set(source, [...(graph.successors.get(source) ?? []), target]);
  graph.predecessors.set(target, [...(graph.predecessors.get(target) ?? []), source]);
}

function checkKeywords(starts: readonly FlowNode[], facts: ReadonlyMap<string, NodeFacts>): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const owners = new Map<string, string>();
  for (const start of starts) {
    for (const keyword of new Set(facts.get(start.id)?.keywords ?? [])) {
      const owner = owners.get(keyword);
      if (owner === undefined) owners.set(keyword, start.id);
      else {
        const message = `Keyword "${keyword}" is already used by trigger node "${owner}"`;
        issues.push({ type: "error", code: "DUPLICATE_KEYWORD", message, nodeId: start.id });
      }
    }
  }
  return issues;
}

function checkConnections(
  graph: Graph,
  starts: readonly FlowNode[],
  sources: ReadonlySet<string>,
): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const start of starts) {
    if (!sources.has(start.id)) {
      const message = "Trigger node has no outgoing connections";
      issues.push({ type: "warning", code: "START_NO_OUTGOING", message, nodeId: start.id });
    }
  }
  const notConnected = new Set<string>();
  for (const node of graph.nodes) {
    if (node.type === "start" || graph.predecessors.has(node.id)) continue;
    notConnected.add(node.id);
    const message = "Node is not connected to the flow";
    issues.push({ type: "warning", code: "NODE_NOT_CONNECTED", message, nodeId: node.id });
  }
  if (starts.length === 0) return issues;
  const reachable = collectReachable(
    starts.map((start) => start.id),
    graph.successors,
  );
  for (const node of graph.nodes) {
    if (reachable.has(node.id) || notConnected.has(node.id)) continue;
    const message = "Node cannot be reached from any trigger node";
    issues.push({ type: "warning", code: "UNREACHABLE_NODE", message, nodeId: node.id });
  }
  return issues;
}

/** A cycle through nodes that never wait spins until the loop guard kills the execution. */
function checkLoops(graph: Graph): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const ids = graph.nodes.map((node) => node.id);
  for (const component of findStronglyConnected(ids, graph.successors)) {
    const [first] = component;
    if (first === undefined) continue;
    const isCycle = component.length > 1 || (graph.successors.get(first) ?? []).includes(first);
    if (!isCycle || component.some((id) => graph.facts.get(id)?.pauses === true)) continue;
    const members = new Set(component);
    const ordered = ids.filter((id) => members.has(id));
    const message = `Nodes ${ordered.map((id) => `"${id}"`).join(", ")} form a loop that never waits for the contact`;
    issues.push({ type: "error", code: "LOOP_WITHOUT_WAIT", message, nodeId: ordered[0] ?? first });
  }
  return issues;
}

const RESERVED_ROOTS = new Set(["contact", "flow", "trigger", "lastMessage", "lastMedia"]);

/** A variable read with no setter upstream is most often a typo in its name. */
function checkVariables(graph: Graph): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const node of graph.nodes) {
    const reads = (graph.facts.get(node.id)?.reads ?? []).filter(
      (path) => !RESERVED_ROOTS.has(path.split(".")[0] ?? ""),
    );
    if (reads.length === 0) continue;
    const ancestors = collectReachable(graph.predecessors.get(node.id) ?? [], graph.predecessors);
    const setters = [...ancestors].flatMap((id) => graph.facts.get(id)?.sets ?? []);
    for (const path of new Set(reads)) {
      if (setters.some((setter) => isSameVariable(path, setter))) continue;
      const message = `Variable "${path}" is not set by any node before this one`;
      issues.push({ type: "warning", code: "UNDEFINED_VARIABLE", message, nodeId: node.id });
    }
  }
  return issues;
}

/** `answers.email` is satisfied by a setter of `answers`, and `order` by a setter of `order.total`. */
function isSameVariable(path: string, setter: string): boolean {
  return path === setter || path.startsWith(`${setter}.`) || setter.startsWith(`${path}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parse problems under `nodes[i]` belong to that node, when the raw node has a usable id. */
function findRawNodeId(input: unknown, path: string): string | null {
  const match = /^nodes\[(\d+)\]/.exec(path);
  if (match === null || !isRecord(input) || !Array.isArray(input.nodes)) return null;
  const node: unknown = input.nodes[Number(match[1])];
  return isRecord(node) && typeof node.id === "string" && node.id !== "" ? node.id : null;
}
