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
  displayName?: string | null;
  email?: string | null;
  role?: Role;
}

export type Role = "viewer" | "editor" | "admin" | "owner";
export const ROLES: readonly Role[] = ["viewer", "editor", "admin", "owner"];

/** GET /api/auth/me: the caller (session user or API client) and its organization. */
export interface Session {
  principal: null | {
    kind: "user" | "api";
    organizationId: string;
    role: Role;
    userId?: string;
    clientId?: string;
  };
  user: User | null;
  /** The session's organization; `name` is null when the server does not know it. */
  organization: { id: string; name: string | null } | null;
}

export interface ActiveExecution {
  id: string;
  flow_id: string;
  status: string;
}

export interface ConversationSummary {
  contact_id: string;
  channel_id: string;
  channel_kind: string | null;
  name: string | null;
  phone: string | null;
  external_id: string;
  last_message_at: string | null;
  last_inbound_at: string | null;
  inbound_count: number;
  outbound_count: number;
  window_open: boolean;
  window_expires_at: string | null;
  active_execution: ActiveExecution | null;
}

export interface TranscriptEntry {
  id: string;
  direction: "inbound" | "outbound";
  at: string;
  kind: string;
  text: string;
  option_id: string | null;
  media: Record<string, unknown> | null;
  message: Record<string, unknown> | null;
  /** `received`, or queued / sending / sent / delivered / read / failed. */
  status: string;
  error_code: string | null;
  error_message: string | null;
  execution_id: string | null;
}

export interface ConversationDetail
  extends Omit<ConversationSummary, "inbound_count" | "outbound_count" | "last_message_at"> {
  messages: TranscriptEntry[];
}

export type ReplyInput =
  | { text: string }
  | { template: { name: string; language: string; params: string[] } };

export type ChannelKind = "whatsapp" | "telegram" | "web";

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  bot_id: string | null;
  external_id: string | null;
  phone_number_id: string | null;
  config: Record<string, unknown>;
  /** Which credentials are set; their values are never returned. */
  secrets: Record<string, boolean>;
  webhook_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface ApiAccess {
  clientId: string;
  approved: boolean;
  createdAt: string;
  rotatedAt: string | null;
}

export interface Template {
  id: string;
  channel_id: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
  created_at: string;
  updated_at: string;
}

export interface TemplateInput {
  name: string;
  language: string;
  category: "MARKETING" | "UTILITY" | "AUTHENTICATION";
  status?: string;
  components?: Record<string, unknown>[];
  channel_id?: string | null;
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

/** GET /api/flows/{id}/analytics: per-node visits and drop-offs (see docs/api.md). */
export interface FlowAnalytics {
  executions: number;
  completed: number;
  completion_rate: number;
  nodes: NodeAnalytics[];
}

export interface NodeAnalytics {
  node_id: string;
  visits: number;
  waiting_now: number;
  dropped_here: number;
  drop_off_rate: number;
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
  waiting_handle?: string | null;
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

  /** The caller; an older or mocked server answering with a bare user yields `principal: null`. */
  session: async (): Promise<Session> => {
    const body = await request<Partial<Session> & Partial<User>>("GET", "/api/auth/me");
    if (body.principal) {
      return { principal: body.principal, user: body.user ?? null, organization: body.organization ?? null };
    }
    return {
      principal: null,
      user: body.user ?? (typeof body.username === "string" ? (body as User) : null),
      organization: null,
    };
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
  getFlowAnalytics: (flowId: string, params: { since?: string } = {}) =>
    request<FlowAnalytics>("GET", `/api/flows/${id(flowId)}/analytics${query(params)}`),
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

  listConversations: (params: { q?: string; page?: number; page_size?: number }) =>
    request<Page<ConversationSummary>>("GET", `/api/conversations${query(params)}`),
  getConversation: (contactId: string) =>
    request<ConversationDetail>("GET", `/api/conversations/${id(contactId)}`),
  reply: (contactId: string, input: ReplyInput) =>
    request<{ success: true; outbound_id: number; windowOpen: boolean }>(
      "POST",
      `/api/conversations/${id(contactId)}/reply`,
      input,
    ),
  handback: (contactId: string) =>
    request<{ success: true }>("POST", `/api/conversations/${id(contactId)}/handback`),

  listChannels: () => request<Page<Channel>>("GET", "/api/channels"),
  createChannel: (input: Record<string, string>) => request<Channel>("POST", "/api/channels", input),
  updateChannel: (channelId: string, input: Record<string, string>) =>
    request<Channel>("PUT", `/api/channels/${id(channelId)}`, input),
  deleteChannel: (channelId: string) => request<unknown>("DELETE", `/api/channels/${id(channelId)}`),

  listMembers: () => request<Page<Member>>("GET", "/api/settings/members"),
  addMember: (input: { email: string; password: string; role: Role; name?: string }) =>
    request<Member>("POST", "/api/settings/members", input),
  changeMemberRole: (userId: string, role: Role) =>
    request<Member>("PATCH", `/api/settings/members/${id(userId)}`, { role }),
  removeMember: (userId: string) => request<unknown>("DELETE", `/api/settings/members/${id(userId)}`),

  getApiAccess: () => request<{ apiAccess: ApiAccess | null }>("GET", "/api/settings/api-access"),
  createApiAccess: () => request<ApiAccess & { apiKey: string }>("POST", "/api/settings/api-access"),
  approveApiAccess: (approved: boolean) =>
    request<ApiAccess>("POST", "/api/settings/api-access/approve", { approved }),
  rotateApiAccess: () => request<ApiAccess & { apiKey: string }>("POST", "/api/settings/api-access/rotate"),

  listTemplates: () => request<Page<Template>>("GET", "/api/templates"),
  createTemplate: (input: TemplateInput) => request<Template>("POST", "/api/templates", input),
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
