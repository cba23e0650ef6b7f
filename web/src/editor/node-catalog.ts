/**
 * What the builder knows about each node type: its palette entry, the data a new node starts with,
 * and its output handles, which come from the engine's own `handles(data)` so canvas and runtime agree.
 */
import { NODE_TYPES, type NodeType } from "../../../src/core/flow.ts";
import { compileFlow } from "../../../src/engine/compile.ts";
import { handlerFor } from "../../../src/engine/nodes/registry.ts";

export interface NodeInfo {
  label: string;
  icon: string;
  description: string;
  defaultData: () => Record<string, unknown>;
}

export const NODE_INFO: Record<NodeType, NodeInfo> = {
  start: {
    label: "Start",
    icon: "▶",
    description: "Entry point, matched by keywords",
    defaultData: () => ({ keywords: [] }),
  },
  text: { label: "Text", icon: "✉", description: "Send a text message", defaultData: () => ({ text: "" }) },
  question: {
    label: "Question",
    icon: "☰",
    description: "Buttons (≤ 3) or a list; waits for a choice",
    defaultData: () => ({
      body: "",
      options: [
        { id: newId("opt"), title: "Yes" },
        { id: newId("opt"), title: "No" },
      ],
    }),
  },
  media: {
    label: "Media",
    icon: "▣",
    description: "Send an image, video, audio or document",
    defaultData: () => ({ mediaType: "image", mediaUrl: "" }),
  },
  condition: {
    label: "Condition",
    icon: "◇",
    description: "Branch on variables: true / false",
    defaultData: () => ({ rules: [{ field: "", operator: "equals", value: "" }], logic: "AND" }),
  },
  question_input: {
    label: "Ask input",
    icon: "✎",
    description: "Ask a free-text question and validate it",
    defaultData: () => ({ question: "", variableName: "", validation: { type: "text" } }),
  },
  user_input_flow: {
    label: "Questionnaire",
    icon: "☷",
    description: "Ask several questions in order",
    defaultData: () => ({ questions: [{ id: "q1", text: "", required: true }], skipWord: "skip" }),
  },
  template: {
    label: "Template",
    icon: "▤",
    description: "Send an approved WhatsApp template",
    defaultData: () => ({ templateName: "", language: "en_US", params: [], buttons: [] }),
  },
  action: {
    label: "Action",
    icon: "⚙",
    description: "End, handoff, tags, variables, HTTP, jump",
    defaultData: () => ({ actionType: "end" }),
  },
  wait: {
    label: "Wait",
    icon: "◷",
    description: "Pause for a while",
    defaultData: () => ({ duration: 60, unit: "seconds" }),
  },
};

export const PALETTE_TYPES: readonly NodeType[] = NODE_TYPES;

/** A short random id; collisions are checked by validateFlow anyway. */
export function newId(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The output handles of a node as the engine names them; a node whose data does not parse keeps `default`. */
export function outputHandles(type: string, data: Record<string, unknown>): string[] {
  const compiled = compileFlow({
    nodes: [{ id: "n", type, position: { x: 0, y: 0 }, data }],
    edges: [],
  }).nodes.get("n");
  if (!compiled) return ["default"];
  return handlerFor(compiled).handles(compiled.data);
}

const FIXED_LABELS: Record<string, string> = {
  default: "next",
  true: "true",
  false: "false",
  success: "success",
  error: "error",
  invalid: "invalid",
  timeout: "timeout",
  ended: "ended",
};

/** The label shown beside a handle: an option's or button's title, else the handle's meaning. */
export function handleLabel(handle: string, data: Record<string, unknown>): string {
  if (handle.startsWith("option-")) {
    const id = handle.slice("option-".length);
    const options = Array.isArray(data.options) ? data.options : [];
    for (const option of options) {
      if (isRecord(option) && option.id === id)
        return typeof option.title === "string" && option.title !== "" ? option.title : id;
    }
    return id;
  }
  const button = /^button-(\d+)$/.exec(handle);
  if (button) {
    const buttons = Array.isArray(data.buttons) ? data.buttons : [];
    const title = buttons[Number(button[1])];
    return typeof title === "string" && title !== "" ? title : `button ${Number(button[1]) + 1}`;
  }
  return FIXED_LABELS[handle] ?? handle;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
