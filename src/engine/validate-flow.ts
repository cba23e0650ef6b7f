/**
 * Flow validation for the builder and for publishing: every problem at once, each with a stable code,
 * so an author fixes a flow before a contact ever hits the broken branch.
 */

import type { z } from "zod";
import {
  type FlowEdge,
  type FlowNode,
  flowGraphSchema,
  type InputValidation,
  isNodeType,
  type NodeType,
  nodeDataSchemas,
  parseFlowGraph,
} from "../core/flow.ts";
import { isKnownOperator, readRuleField } from "./conditions.ts";
import { ExpressionError, expressionVariables, parseExpression } from "./expression.ts";
import { findVariableReferences } from "./interpolate.ts";
import { compileUserRegex } from "./regex.ts";

export interface FlowIssue {
  type: "error" | "warning";
  code: string;
  message: string;
  nodeId: string | null;
}

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

function collectReachable(roots: readonly string[], next: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>(roots);
  const queue = [...roots];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const target of next.get(id) ?? []) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}

/** Tarjan's algorithm with an explicit stack, so a long chain of nodes cannot overflow the call stack. */
function findStronglyConnected(
  ids: readonly string[],
  successors: ReadonlyMap<string, string[]>,
): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (id: string) => {
    const position = order.size;
    order.set(id, position);
    low.set(id, position);
    stack.push(id);
    onStack.add(id);
  };
  for (const root of ids) {
    if (order.has(root)) continue;
    visit(root);
    const work = [{ id: root, next: 0 }];
    for (let frame = work.at(-1); frame !== undefined; frame = work.at(-1)) {
      const target = (successors.get(frame.id) ?? [])[frame.next];
      frame.next += 1;
      if (target !== undefined) {
        if (!order.has(target)) {
          visit(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id) ?? 0, order.get(target) ?? 0));
        }
        continue;
      }
      work.pop();
      const frameLow = low.get(frame.id) ?? 0;
      const parent = work.at(-1);
      if (parent !== undefined) low.set(parent.id, Math.min(low.get(parent.id) ?? 0, frameLow));
      if (frameLow !== order.get(frame.id)) continue;
      const component: string[] = [];
      for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
        onStack.delete(id);
        component.push(id);
        if (id === frame.id) break;
      }
      components.push(component);
    }
  }
  return components;
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

// ---------------------------------------------------------------------------------------------------
// What each node contributes: its own problems, the variables it reads and sets, whether it waits.

interface NodeIssue {
  type: FlowIssue["type"];
  code: string;
  message: string;
}

interface NodeFacts {
  issues: NodeIssue[];
  reads: string[];
  sets: string[];
  pauses: boolean;
  keywords: string[];
  jumpTarget?: string;
}

type Inspector = (data: unknown, nodeIds: ReadonlySet<string>) => NodeFacts;

function inspectNode(node: FlowNode, nodeIds: ReadonlySet<string>): NodeFacts {
  return isNodeType(node.type) ? INSPECTORS[node.type](node.data, nodeIds) : createFacts();
}

function createFacts(): NodeFacts {
  return { issues: [], reads: [], sets: [], pauses: false, keywords: [] };
}

/** Data that does not parse is already reported as INVALID_GRAPH, so its node contributes nothing more. */
function inspectWith<S extends z.ZodType>(
  schema: S,
  inspect: (data: z.output<S>, facts: NodeFacts, nodeIds: ReadonlySet<string>) => void,
): Inspector {
  return (raw, nodeIds) => {
    const facts = createFacts();
    const parsed = schema.safeParse(raw);
    if (parsed.success) inspect(parsed.data, facts, nodeIds);
    return facts;
  };
}

function report(facts: NodeFacts, type: NodeIssue["type"], code: string, message: string): void {
  facts.issues.push({ type, code, message });
}

function readTexts(facts: NodeFacts, ...texts: unknown[]): void {
  for (const text of texts) if (typeof text === "string") facts.reads.push(...findVariableReferences(text));
}

function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === "";
}

/** Whatsapp limits: reply button titles 20 characters, list row titles 24. */
const BUTTON_TITLE_LIMIT = 20;
const LIST_TITLE_LIMIT = 24;
const MAX_BUTTONS = 3;
const MAX_LIST_ROWS = 10;

const INSPECTORS = {
  start: inspectWith(nodeDataSchemas.start, (data, facts) => {
    facts.keywords = data.keywords.map((keyword) => keyword.trim().toLowerCase()).filter((k) => k !== "");
    if (facts.keywords.length === 0) {
      report(facts, "error", "START_NO_KEYWORDS", "Trigger node must have at least one keyword");
    }
  }),
  text: inspectWith(nodeDataSchemas.text, (data, facts) => {
    if (isBlank(data.text)) report(facts, "error", "TEXT_EMPTY", "Text node must have message content");
    readTexts(facts, data.text);
  }),
  question: inspectWith(nodeDataSchemas.question, (data, facts) => {
    const { options } = data;
    if (options.length === 0) {
      report(facts, "error", "QUESTION_NO_OPTIONS", "Question node must have at least one option");
    }
    const seen = new Set<string>();
    for (const option of options) {
      if (seen.has(option.id))
        report(facts, "error", "DUPLICATE_OPTION_ID", `Option id "${option.id}" is used twice`);
      seen.add(option.id);
    }
    if (options.length > MAX_LIST_ROWS) {
      const message = `${options.length} options are more than ${MAX_LIST_ROWS}; they will be sent in pages`;
      report(facts, "warning", "QUESTION_PAGED", message);
    }
    const asButtons = options.length <= MAX_BUTTONS && data.type !== "list";
    const limit = asButtons ? BUTTON_TITLE_LIMIT : LIST_TITLE_LIMIT;
    for (const option of options) {
      if ([...option.title].length <= limit) continue;
      const message = `Option "${option.title}" is longer than ${limit} characters and will be cut`;
      report(facts, "warning", "OPTION_TITLE_TOO_LONG", message);
    }
    readTexts(facts, data.body, data.header, data.footer);
    if (!isBlank(data.saveAnswerTo)) facts.sets.push(`${data.saveAnswerTo}`, `${data.saveAnswerTo}_id`);
    facts.pauses = true;
  }),
  media: inspectWith(nodeDataSchemas.media, (data, facts) => {
    if (isBlank(data.mediaUrl))
      report(facts, "error", "MEDIA_URL_MISSING", "Media node must have a media URL");
    readTexts(facts, data.caption, data.mediaUrl);
  }),
  condition: inspectWith(nodeDataSchemas.condition, (data, facts) => {
    for (const rule of data.rules) {
      if (!isKnownOperator(rule.operator)) {
        report(facts, "error", "UNKNOWN_OPERATOR", `Operator "${rule.operator}" is not supported`);
      } else if (rule.operator === "matches_regex") {
        const pattern = typeof rule.value === "string" ? rule.value : "";
        if (!pattern.includes("{{")) checkPattern(facts, pattern, `Rule on "${rule.field}"`, "i");
      }
      const field = readRuleField(rule.field);
      if (field !== "") facts.reads.push(field);
      readTexts(facts, rule.value);
    }
    if (isBlank(data.expression)) return;
    try {
      facts.reads.push(...expressionVariables(parseExpression(data.expression ?? "")));
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      report(facts, "error", "INVALID_EXPRESSION", `Condition expression is invalid: ${error.message}`);
    }
  }),
  question_input: inspectWith(nodeDataSchemas.question_input, (data, facts) => {
    if (isBlank(data.question))
      report(facts, "error", "QUESTION_INPUT_EMPTY", "Input node must have a question");
    checkValidation(facts, data.validation, "Answer validation");
    readTexts(facts, data.question);
    const variable = data.variableName ?? data.saveAnswerTo;
    if (!isBlank(variable)) facts.sets.push(`${variable}`);
    facts.pauses = true;
  }),
  user_input_flow: inspectWith(nodeDataSchemas.user_input_flow, (data, facts) => {
    for (const question of data.questions) {
      checkValidation(facts, question.validation, `Validation of question "${question.id}"`);
      facts.sets.push(`answers.${question.id}`);
    }
    facts.sets.push("answers");
    facts.pauses = true;
  }),
  template: inspectWith(nodeDataSchemas.template, (data, facts) => {
    if (isBlank(data.templateName) && isBlank(data.template_name)) {
      report(facts, "error", "TEMPLATE_NAME_MISSING", "Template node must name a template");
    }
    readTexts(facts, ...data.params, ...(data.headerParams ?? []));
    if (!isBlank(data.saveAnswerTo)) facts.sets.push(`${data.saveAnswerTo}`);
    facts.pauses = data.buttons.length > 0;
  }),
  action: inspectWith(nodeDataSchemas.action, (data, facts, nodeIds) => {
    readTexts(facts, data.message, data.value, data.url, data.body, ...Object.values(data.headers ?? {}));
    switch (data.actionType) {
      case "handoff":
        facts.pauses = true;
        return;
      case "set_variable":
        if (!isBlank(data.variableName)) facts.sets.push(`${data.variableName}`);
        return;
      case "http_request":
        checkHttpUrl(facts, data.url);
        if (!isBlank(data.saveResponseTo)) facts.sets.push(`${data.saveResponseTo}`);
        facts.sets.push(...Object.keys(data.responseMapping ?? {}));
        return;
      case "jump":
        checkJump(facts, data.targetNodeId, data.targetFlowId, nodeIds);
        return;
      default:
        return;
    }
  }),
  wait: inspectWith(nodeDataSchemas.wait, (_data, facts) => {
    facts.pauses = true;
  }),
} satisfies Record<NodeType, Inspector>;

function checkValidation(facts: NodeFacts, validation: InputValidation | undefined, where: string): void {
  if (validation === undefined) return;
  if (validation.type === "regex" && isBlank(validation.pattern)) {
    report(facts, "error", "INVALID_REGEX", `${where} of type regex has no pattern`);
  } else if (validation.pattern !== undefined && validation.pattern !== "") {
    checkPattern(facts, validation.pattern, where, "");
  }
}

function checkPattern(facts: NodeFacts, pattern: string, where: string, flags: string): void {
  if (pattern === "") report(facts, "error", "INVALID_REGEX", `${where} has no regular expression`);
  else if (compileUserRegex(pattern, flags) === undefined) {
    report(facts, "error", "INVALID_REGEX", `${where}: "${pattern}" is not a valid regular expression`);
  }
}

function checkHttpUrl(facts: NodeFacts, url: string | undefined): void {
  const trimmed = url?.trim() ?? "";
  if (trimmed === "") report(facts, "error", "HTTP_URL_INVALID", "HTTP request has no URL");
  else if (!trimmed.startsWith("{{") && !/^https?:\/\/\S/i.test(trimmed)) {
    report(facts, "error", "HTTP_URL_INVALID", `URL "${trimmed}" must start with http:// or https://`);
  }
}

/** A jump to another flow names a node of that flow, which this graph cannot check. */
function checkJump(
  facts: NodeFacts,
  targetNodeId: string | undefined,
  targetFlowId: string | undefined,
  nodeIds: ReadonlySet<string>,
): void {
  if (!isBlank(targetFlowId)) return;
  if (isBlank(targetNodeId)) {
    report(facts, "error", "JUMP_TARGET_MISSING", "Jump action needs a target node or flow");
  } else if (targetNodeId !== undefined && !nodeIds.has(targetNodeId)) {
    report(facts, "error", "JUMP_TARGET_MISSING", `Jump target node "${targetNodeId}" does not exist`);
  } else facts.jumpTarget = targetNodeId;
}
