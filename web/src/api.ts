/**
 * The builder's client for Parley's REST API (DESIGN §8): cookie session, JSON in and out, errors as
 * `{error, code, details?}` turned into ApiError so screens can branch on `status` and `code`.
 */

import type { WebRendered } from "../../src/channels/web/render-web-message.ts";
import type { FlowEdge, FlowNode, FlowSettings } from "../../src/core/flow.ts";
import type { OutboundMessage } from "../../src/core/messages.ts";
import type { FlowIssue } from "../../src/engine/validate-flow.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface User {
  id?: string;
  username: string;
}

export interface Page<T> {
  count: number;
  next?: string | null;
  previous?: string | null;
  results: T[];
}

export interface FlowSummary {
  id: string;
  name: string;
  description: string | null;
  is_active: boolean;
  is_published: boolean;
  node_count: number;
  trigger_count: number;
  execution_count: number;
  updated_at: string;
  published_at: string | null;
}

export interface FlowDetail {
  id: string;
  name: string;
  description: string | null;
  nodes: FlowNode[];
  edges: FlowEdge[];
  menus?: unknown[];
  settings?: FlowSettings;
  is_active: boolean;
  is_published: boolean;
  trigger_keywords?: string[];
  updated_at: string;
  published_at?: string | null;
}

export interface FlowInput {
  name: string;
  description?: string;
  nodes: unknown[];
  edges: unknown[];
  menus?: unknown[];
  settings?: unknown;
}

export interface FlowVersion {
  version: number;
  created_at?: string;
  published_at?: string | null;
  note?: string | null;
  [key: string]: unknown;
}

export interface SimulatorMessage {
  id: string;
  at: string;
  message: OutboundMessage;
  rendered: WebRendered;
}

export interface ExecutionSummary {
  id: string;
  flow_id: string;
  contact_id: string;
  status: string;
  current_node_id: string | null;
  started_at: string;
  completed_at: string | null;
}

export interface ExecutionLog {
  node_id: string | null;
  node_type: string | null;
  action: string;
  input_data?: unknown;
  output_data?: unknown;
  message?: string | null;
  timestamp: string;
}

export interface ExecutionDetail extends ExecutionSummary {
  visited_nodes: string[];
  variables: Record<string, unknown>;
  logs: ExecutionLog[];
  duration_seconds: number | null;
}

export interface SimulatorPoll {
  messages: SimulatorMessage[];
  execution: {
    id: string;
    status: string;
    current_node_id: string | null;
    visited_nodes: string[];
    variables: Record<string, unknown>;
  } | null;
}

export interface PublishRejection {
  status: "error";
  message: string;
  validation: { errors: FlowIssue[]; warnings: FlowIssue[] };
}

/** Listeners told when any call answers 401, so the app can send the author back to the login. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Sends one request; resolves with the parsed JSON body (undefined for 204), rejects with ApiError. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { "content-type": "application/json", accept: "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the server. Check your connection.", error);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith("/api/auth/")) {
      for (const listener of unauthorizedListeners) listener();
    }
    throw new ApiError(
      response.status,
      readString(parsed, "code") ?? `HTTP_${response.status}`,
      describeError(parsed, response),
      parsed,
    );
  }
  // The server is the parsing boundary: its JSON is trusted to match the documented contract.
  return parsed as T;
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === "string" ? field : undefined;
}

function describeError(body: unknown, response: Response): string {
  return (
    readString(body, "error") ??
    readString(body, "message") ??
    `${response.status} ${response.statusText}`.trim()
  );
}

const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
};

const id = encodeURIComponent;

export const api = {
  login: (username: string, password: string) =>
    request<unknown>("POST", "/api/auth/login", { username, password }),
  logout: () => request<unknown>("POST", "/api/auth/logout"),
  me: async (): Promise<User> => {
    const body = await request<User | { user: User }>("GET", "/api/auth/me");
    return "user" in body ? body.user : body;
  },

  listFlows: (params: { q?: string; page?: number }) =>
    request<Page<FlowSummary>>("GET", `/api/flows${query(params)}`),
  createFlow: (input: FlowInput) => request<FlowDetail>("POST", "/api/flows", input),
  getFlow: (flowId: string) => request<FlowDetail>("GET", `/api/flows/${id(flowId)}`),
  updateFlow: (flowId: string, input: FlowInput & { updated_at: string }) =>
    request<Partial<FlowDetail>>("PUT", `/api/flows/${id(flowId)}`, input),
  deleteFlow: (flowId: string) => request<unknown>("DELETE", `/api/flows/${id(flowId)}`),
  publishFlow: (flowId: string) => request<Partial<FlowDetail>>("POST", `/api/flows/${id(flowId)}/publish`),
  unpublishFlow: (flowId: string) =>
    request<Partial<FlowDetail>>("POST", `/api/flows/${id(flowId)}/unpublish`),
  duplicateFlow: (flowId: string) => request<FlowDetail>("POST", `/api/flows/${id(flowId)}/duplicate`),
  listVersions: (flowId: string) =>
    request<FlowVersion[] | { results: FlowVersion[] } | { versions: FlowVersion[] }>(
      "GET",
      `/api/flows/${id(flowId)}/versions`,
    ),
  restoreVersion: (flowId: string, version: number) =>
    request<Partial<FlowDetail>>("POST", `/api/flows/${id(flowId)}/versions/${version}/restore`),
  exportFlow: (flowId: string) => request<unknown>("GET", `/api/flows/${id(flowId)}/export`),
  importFlow: (document: unknown) => request<FlowDetail>("POST", "/api/flows/import", document),

  startSimulator: (flowId: string) =>
    request<{ session_id: string; contact_id: string }>("POST", "/api/simulator/sessions", {
      flow_id: flowId,
    }),
  sendSimulator: (sessionId: string, input: { text?: string; option_id?: string }) =>
    request<unknown>("POST", `/api/simulator/sessions/${id(sessionId)}/messages`, input),
  pollSimulator: (sessionId: string, after?: string) =>
    request<SimulatorPoll>("GET", `/api/simulator/sessions/${id(sessionId)}/messages${query({ after })}`),

  listExecutions: (params: { flow_id?: string; status?: string; page?: number }) =>
    request<Page<ExecutionSummary>>("GET", `/api/executions${query(params)}`),
  getExecution: (executionId: string) =>
    request<ExecutionDetail>("GET", `/api/executions/${id(executionId)}`),
};

/** The versions endpoint's list, whichever envelope the server picked. */
export function readVersions(
  body: FlowVersion[] | { results: FlowVersion[] } | { versions: FlowVersion[] },
): FlowVersion[] {
  if (Array.isArray(body)) return body;
  return "results" in body ? body.results : body.versions;
}

/** A readable message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
