/**
 * What the pure engine consumes and produces: execution state, events, effects and log entries
 * (DESIGN §5). Everything here is plain JSON-serialisable data.
 */
import type { InboundMedia, OutboundMessage } from "./messages.ts";

export const EXECUTION_STATUSES = [
  "pending",
  "running",
  "waiting_for_input",
  "completed",
  "failed",
  "cancelled",
  "expired",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const FINISHED_STATUSES: readonly ExecutionStatus[] = ["completed", "failed", "cancelled", "expired"];

export function isFinished(status: ExecutionStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export type WaitReason = "input" | "wait" | "http" | "handoff";

/** Why and where an execution is paused. `scratch` belongs to the waiting node's handler. */
export interface WaitingState {
  nodeId: string;
  reason: WaitReason;
  /** Failed answers so far (question, question_input, user_input_flow). */
  attempts: number;
  /** Timer that ends the wait (node timeout, or the wait node's delay). */
  timerId?: string;
  /** Id of the outstanding httpRequest effect, when reason is "http". */
  requestId?: string;
  scratch?: Record<string, unknown>;
}

export interface TriggerInfo {
  kind: "keyword" | "api" | "default" | "lead" | "jump" | "command";
  text?: string;
  keyword?: string;
  /** Start node chosen by the runtime (keyword match) or the API. */
  startNodeId?: string;
  variables?: Record<string, unknown>;
}

export interface ExecutionError {
  code: string;
  message: string;
  nodeId?: string;
  path?: string[];
}

export const EXECUTION_STATE_VERSION = 1;

export interface ExecutionState {
  version: typeof EXECUTION_STATE_VERSION;
  status: ExecutionStatus;
  currentNodeId: string | null;
  waiting: WaitingState | null;
  visitedNodes: string[];
  variables: Record<string, unknown>;
  trigger: TriggerInfo | null;
  error: ExecutionError | null;
}

export type EngineEvent =
  | { type: "start"; trigger: TriggerInfo }
  | { type: "input"; text: string; optionId?: string; media?: InboundMedia }
  | { type: "timer"; timerId: string }
  /** An operator hands a conversation taken over by a human back to the bot. */
  | { type: "handback" }
  | {
      type: "httpResult";
      requestId: string;
      ok: boolean;
      status?: number;
      body?: unknown;
      error?: string;
    };

export const LOG_ACTIONS = [
  "entered",
  "exited",
  "waiting",
  "sent_message",
  "error",
  "variable_set",
  "condition",
  "http_call",
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

export interface LogEntry {
  nodeId: string;
  nodeType: string;
  action: LogAction;
  input?: unknown;
  output?: unknown;
  message?: string;
}

/** `http` timers guard in-flight HTTP calls: one that outlives a crash resumes the flow's error path. */
export type TimerKind = "timeout" | "wait" | "http";

export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type ContactOperation =
  | { op: "add_tag"; tag: string }
  | { op: "remove_tag"; tag: string }
  | { op: "assign"; assignee: string };

export type Effect =
  | { type: "send"; nodeId: string; message: OutboundMessage }
  | { type: "log"; entry: LogEntry }
  | { type: "schedule"; timerId: string; kind: TimerKind; nodeId: string; dueAt: number }
  | { type: "cancel"; timerId: string }
  | { type: "httpRequest"; requestId: string; nodeId: string; request: HttpRequestSpec }
  | { type: "handoff"; nodeId: string; reason?: string }
  | { type: "contact"; nodeId: string; operation: ContactOperation }
  | { type: "startFlow"; nodeId: string; flowId: string; variables: Record<string, unknown> }
  | { type: "complete"; outcome: "completed" | "expired" | "reset" }
  | { type: "fail"; error: ExecutionError };

export type EffectType = Effect["type"];

/** What the runtime tells the engine about the world; the engine reads no clock and no randomness. */
export interface EngineContext {
  /** Milliseconds since the epoch. */
  now: number;
  /** Returns a new unique id (timers, http requests). Deterministic in tests. */
  newId: () => string;
  contact: {
    id: string;
    name?: string;
    phone?: string;
    attributes?: Record<string, unknown>;
  };
  flow?: { id: string; name?: string; versionId?: string };
  /** Node entries allowed for one event before ENGINE_LOOP_LIMIT (default 100). */
  loopLimit?: number;
  /** Default timeout of a waiting node when neither node nor flow sets one (default 24 h). */
  defaultTimeoutSeconds?: number;
}

export interface AdvanceResult {
  state: ExecutionState;
  effects: Effect[];
}

export function createInitialState(): ExecutionState {
  return {
    version: EXECUTION_STATE_VERSION,
    status: "pending",
    currentNodeId: null,
    waiting: null,
    visitedNodes: [],
    variables: {},
    trigger: null,
    error: null,
  };
}
