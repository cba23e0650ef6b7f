/**
 * What each node type contributes to flow validation: its own problems, the variables it reads and
 * sets, whether it waits for the contact, and its trigger keywords or jump target.
 */
import type { z } from "zod";
import {
  type FlowNode,
  type InputValidation,
  isNodeType,
  type NodeType,
  nodeDataSchemas,
} from "../core/flow.ts";
import { isKnownOperator, readRuleField } from "./conditions.ts";
import { ExpressionError, expressionVariables, parseExpression } from "./expression.ts";
import { findVariableReferences } from "./interpolate.ts";
import { compileUserRegex } from "./regex.ts";

/** A problem found in one node's own data; validate-flow.ts attaches the node id. */
export interface NodeIssue {
  type: "error" | "warning";
  code: string;
  message: string;
}

/** One node's contribution to the graph-level checks. */
export interface NodeFacts {
  issues: NodeIssue[];
  reads: string[];
  sets: string[];
  pauses: boolean;
  keywords: string[];
  jumpTarget?: string;
}

/** Inspects a node's data; a node of unknown type contributes nothing (reported elsewhere). */
export function inspectNode(node: FlowNode, nodeIds: ReadonlySet<string>): NodeFacts {
  return isNodeType(node.type) ? INSPECTORS[node.type](node.data, nodeIds) : createFacts();
}

type Inspector = (data: unknown, nodeIds: ReadonlySet<string>) => NodeFacts;

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
