/**
 * The flow format: a ReactFlow-compatible graph stored exactly as the builder sends it (DESIGN §4).
 * Node `data` field names follow seed 000 so its flows run unchanged; unknown fields are kept.
 */
import { z } from "zod";

export const NODE_TYPES = [
  "start",
  "text",
  "question",
  "media",
  "condition",
  "question_input",
  "user_input_flow",
  "template",
  "action",
  "wait",
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export function isNodeType(value: string): value is NodeType {
  return (NODE_TYPES as readonly string[]).includes(value);
}

const text = z.string();
const optionalText = z.string().optional();
const positiveInt = z.number().int().positive();

export const optionSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  description: optionalText,
});
export type QuestionOption = z.infer<typeof optionSchema>;

/** Validation rules of a free-text answer (seed 002 `expected_input`, camelCased). */
export const VALIDATION_TYPES = ["text", "number", "email", "phone", "date", "regex", "any"] as const;
export type ValidationType = (typeof VALIDATION_TYPES)[number];
export const inputValidationSchema = z.looseObject({
  type: z.enum(VALIDATION_TYPES).default("text"),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  pattern: optionalText,
  /** Country calling code used to complete a national phone number into E.164 (e.g. "34"). */
  defaultCountryCode: optionalText,
});
export type InputValidation = z.infer<typeof inputValidationSchema>;

export const CONDITION_OPERATORS = [
  "equals",
  "not_equals",
  "contains",
  "not_contains",
  "starts_with",
  "ends_with",
  "is_empty",
  "is_not_empty",
  "greater_than",
  "less_than",
  "greater_or_equal",
  "less_or_equal",
  "matches_regex",
  "exists",
  "in",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Operators are checked by validateFlow, so a flow with a typo still parses and gets a clear error. */
export const conditionRuleSchema = z.looseObject({
  field: z.string(),
  operator: z.string().default("equals"),
  value: z.unknown().optional(),
});
export type ConditionRule = z.infer<typeof conditionRuleSchema>;

export const ACTION_TYPES = [
  "end",
  "fallback_ai",
  "handoff",
  "assign",
  "add_tag",
  "remove_tag",
  "set_variable",
  "http_request",
  "jump",
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** Every waiting node may carry its own timeout; otherwise the flow's, else 24 h. */
const waitingFields = { timeoutSeconds: positiveInt.optional() };

export const nodeDataSchemas = {
  start: z.looseObject({
    keywords: z.array(z.string()).default([]),
    label: optionalText,
  }),
  text: z.looseObject({ text: text.default("") }),
  question: z.looseObject({
    type: z.enum(["buttons", "list"]).optional(),
    body: text.default(""),
    header: optionalText,
    footer: optionalText,
    options: z.array(optionSchema).default([]),
    buttonText: optionalText,
    saveAnswerTo: optionalText,
    retryMessage: optionalText,
    maxAttempts: positiveInt.optional(),
    ...waitingFields,
  }),
  media: z.looseObject({
    mediaType: z.enum(["image", "video", "audio", "document", "sticker"]).default("image"),
    mediaUrl: text.default(""),
    caption: optionalText,
    filename: optionalText,
  }),
  condition: z.looseObject({
    rules: z.array(conditionRuleSchema).default([]),
    logic: z
      .enum(["AND", "OR", "and", "or"])
      .optional()
      .transform((v) => (v === undefined ? undefined : v.toUpperCase() === "OR" ? "OR" : "AND")),
    expression: optionalText,
  }),
  question_input: z.looseObject({
    question: text.default(""),
    variableName: optionalText,
    saveAnswerTo: optionalText,
    validation: inputValidationSchema.optional(),
    errorMessage: optionalText,
    maxAttempts: positiveInt.optional(),
    ...waitingFields,
  }),
  user_input_flow: z.looseObject({
    intro: optionalText,
    questions: z
      .array(
        z.looseObject({
          id: z.string().min(1),
          text: z.string(),
          required: z.boolean().default(true),
          validation: inputValidationSchema.optional(),
        }),
      )
      .default([]),
    skipWord: text.default("skip"),
    submitUrl: optionalText,
    submitHeaders: z.record(z.string(), z.string()).optional(),
    errorMessage: optionalText,
    apologyMessage: optionalText,
    maxAttempts: positiveInt.optional(),
    ...waitingFields,
  }),
  template: z.looseObject({
    templateName: optionalText,
    /** seed 001's name for the same field. */
    template_name: optionalText,
    template_id: optionalText,
    language: text.default("en_US"),
    params: z.array(z.string()).default([]),
    headerParams: z.array(z.string()).optional(),
    /** Quick-reply button titles, in order; they become branches `button-{index}`. */
    buttons: z.array(z.string()).default([]),
    saveAnswerTo: optionalText,
    ...waitingFields,
  }),
  action: z.looseObject({
    actionType: z.enum(ACTION_TYPES).default("end"),
    message: optionalText,
    tag: optionalText,
    assignTo: optionalText,
    variableName: optionalText,
    value: z.unknown().optional(),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
    url: optionalText,
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    timeoutSeconds: z.number().positive().optional(),
    responseMapping: z.record(z.string(), z.string()).optional(),
    saveResponseTo: optionalText,
    targetNodeId: optionalText,
    targetFlowId: optionalText,
  }),
  wait: z.looseObject({
    duration: z.number().positive().default(60),
    unit: z.enum(["seconds", "minutes", "hours", "days"]).default("seconds"),
  }),
} satisfies Record<NodeType, z.ZodType>;

export type NodeData<T extends NodeType> = z.infer<(typeof nodeDataSchemas)[T]>;

export const positionSchema = z.looseObject({ x: z.number(), y: z.number() });

/** A node as stored: `type` is any string so validateFlow can report unknown types by name. */
export const flowNodeSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  position: positionSchema.default({ x: 0, y: 0 }),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

/** Seed 001's button-click trigger may sit on the edge itself or in `edge.data`. */
export const flowEdgeSchema = z.looseObject({
  id: z.string().min(1),
  source: z.string().min(1),
  target: z.string().min(1),
  sourceHandle: z.string().nullish(),
  targetHandle: z.string().nullish(),
  label: z.unknown().optional(),
  trigger: optionalText,
  trigger_value: optionalText,
  data: z.record(z.string(), z.unknown()).optional(),
});
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

export const flowSettingsSchema = z.looseObject({
  timeoutSeconds: positiveInt.optional(),
  helpText: optionalText,
  commands: z
    .looseObject({
      start: z.boolean().default(true),
      reset: z.boolean().default(true),
      help: z.boolean().default(true),
    })
    .optional(),
  fallbackTemplate: z
    .looseObject({
      name: z.string(),
      language: z.string().default("en_US"),
      params: z.array(z.string()).default([]),
    })
    .optional(),
});
export type FlowSettings = z.infer<typeof flowSettingsSchema>;

export const FLOW_GRAPH_VERSION = 1;

export const flowGraphSchema = z.looseObject({
  version: z.literal(FLOW_GRAPH_VERSION).default(FLOW_GRAPH_VERSION),
  nodes: z.array(flowNodeSchema).default([]),
  edges: z.array(flowEdgeSchema).default([]),
  menus: z.array(z.unknown()).default([]),
  settings: flowSettingsSchema.default({}),
});
export type FlowGraph = z.infer<typeof flowGraphSchema>;

/** One problem found while parsing, with its JSON path (`nodes[2].data.options[0].id`). */
export interface ParseProblem {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: ParseProblem[] };

/** Formats a zod issue path the way a person reads JSON: `nodes[2].data.options`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "(root)" : out;
}

export function problemsFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): ParseProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

/**
 * Parses a graph as stored or sent by the builder. The structure and the `data` of every known node
 * type are checked; every problem is returned, each with its JSON path. Unknown node types parse
 * (validateFlow reports them) so one bad node never hides the rest.
 */
export function parseFlowGraph(input: unknown): ParseResult<FlowGraph> {
  const parsed = flowGraphSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const problems: ParseProblem[] = [];
  parsed.data.nodes.forEach((node, index) => {
    if (!isNodeType(node.type)) return;
    const data = nodeDataSchemas[node.type].safeParse(node.data);
    if (!data.success) problems.push(...problemsFromZod(data.error, ["nodes", index, "data"]));
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: parsed.data };
}

/** Handle name of a question option's branch. */
export function optionHandle(optionId: string): string {
  return `option-${optionId}`;
}

/** The button-click trigger of an edge (seed 001), wherever the builder put it. */
export function edgeTrigger(edge: FlowEdge): { trigger?: string; value?: string } {
  const data = edge.data ?? {};
  const trigger = edge.trigger ?? (typeof data.trigger === "string" ? data.trigger : undefined);
  const value =
    edge.trigger_value ?? (typeof data.trigger_value === "string" ? data.trigger_value : undefined);
  return { trigger, value };
}
