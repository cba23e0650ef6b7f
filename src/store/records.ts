/**
 * The camelCase records repositories return: JSON already parsed, flags already booleans, timestamps
 * in milliseconds since the epoch. Callers never see a database row.
 */
import type { ChannelKind, DeliveryStatus } from "../core/channel.ts";
import type {
  ExecutionState,
  ExecutionStatus,
  LogAction,
  TimerKind,
  TriggerInfo,
} from "../core/execution.ts";
import type { FlowGraph } from "../core/flow.ts";
import type { OutboundMessage } from "../core/messages.ts";

export type Role = "owner" | "admin" | "editor" | "viewer";
export type InboundStatus = "pending" | "processed" | "unhandled" | "failed";
export type TimerStatus = "pending" | "fired" | "cancelled";

/** A page of a list and the number of rows across all pages. */
export interface Page<T> {
  total: number;
  rows: T[];
}

export interface OrganizationRecord {
  id: string;
  name: string;
  createdAt: number;
}

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: number;
}

export interface MembershipRecord {
  organizationId: string;
  organizationName: string;
  userId: string;
  role: Role;
  createdAt: number;
}

export interface ApiClientRecord {
  id: string;
  organizationId: string;
  clientId: string;
  apiKeyHash: string;
  approved: boolean;
  createdAt: number;
  rotatedAt: number | null;
}

export interface BotRecord {
  id: string;
  organizationId: string;
  name: string;
  description: string;
  isDefault: boolean;
  createdAt: number;
}

export interface ChannelRecord {
  id: string;
  organizationId: string;
  botId: string | null;
  kind: ChannelKind;
  name: string;
  externalId: string | null;
  config: Record<string, unknown>;
  /** Sealed by the caller with the secret box; the store never sees plain secrets. */
  secretsEncrypted: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface FlowRecord {
  id: string;
  organizationId: string;
  botId: string | null;
  name: string;
  description: string;
  /** The draft as saved; callers validate it (parseFlowGraph) before saving. */
  graph: FlowGraph;
  isActive: boolean;
  isPublished: boolean;
  isDefault: boolean;
  triggerKeywords: string[];
  publishedVersionId: string | null;
  executionCount: number;
  lastExecutedAt: number | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

export interface FlowVersionRecord {
  id: string;
  organizationId: string;
  flowId: string;
  version: number;
  graph: FlowGraph;
  createdAt: number;
  createdBy: string | null;
}

/** What trigger matching needs of a published, active flow. */
export interface TriggerFlow {
  id: string;
  botId: string | null;
  name: string;
  isDefault: boolean;
  publishedVersionId: string;
  triggerKeywords: string[];
}

export interface ContactRecord {
  id: string;
  organizationId: string;
  channelId: string;
  externalId: string;
  name: string | null;
  phone: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
  lastInboundAt: number | null;
  optedOut: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ExecutionRecord {
  id: string;
  organizationId: string;
  flowId: string;
  flowVersionId: string;
  contactId: string;
  channelId: string;
  status: ExecutionStatus;
  currentNodeId: string | null;
  state: ExecutionState;
  trigger: TriggerInfo | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorNodeId: string | null;
  startedAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export interface ExecutionLogRecord {
  id: number;
  executionId: string;
  organizationId: string;
  nodeId: string;
  nodeType: string;
  action: LogAction;
  input: unknown;
  output: unknown;
  message: string | null;
  createdAt: number;
}

export interface InboundMessageRecord {
  /** Arrival sequence: rows of one contact are processed in this order. */
  id: number;
  organizationId: string;
  channelId: string;
  contactId: string;
  externalMessageId: string;
  /** Usually the channel's normalised InboundMessage. */
  payload: unknown;
  status: InboundStatus;
  error: string | null;
  receivedAt: number;
  processedAt: number | null;
}

export interface OutboundMessageRecord {
  /** Send sequence: rows of one contact leave in this order. */
  id: number;
  organizationId: string;
  channelId: string;
  contactId: string;
  executionId: string | null;
  nodeId: string | null;
  payload: OutboundMessage;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
}

export interface TimerRecord {
  id: string;
  organizationId: string;
  executionId: string;
  contactId: string;
  kind: TimerKind;
  nodeId: string;
  dueAt: number;
  status: TimerStatus;
  createdAt: number;
}

export interface TemplateRecord {
  id: string;
  organizationId: string;
  channelId: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
  createdAt: number;
  updatedAt: number;
}

export interface TemplateGroupRecord {
  id: string;
  organizationId: string;
  name: string;
  /** Ordered fallbacks: the first approved template wins. */
  templateIds: string[];
  createdAt: number;
}

export interface LeadRecord {
  id: string;
  organizationId: string;
  flowId: string;
  contactId: string;
  executionId: string | null;
  payload: unknown;
  createdAt: number;
}
