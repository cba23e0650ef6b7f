/**
 * The runtime's public face: what the server, CLI and tests call. Accepting inbound work returns
 * only once it is durable; everything after that (stepping, sending, timers) happens in the
 * background, in order per contact.
 */
import type { ChannelSender, InboundMessage, StatusUpdate } from "../core/channel.ts";
import type { TriggerInfo } from "../core/execution.ts";
import type { OutboundMessage } from "../core/messages.ts";
import type { ChannelRecord, ExecutionRecord } from "../store/records.ts";
import type { LiveBus } from "./live-bus.ts";

export interface AcceptResult {
  accepted: number;
  duplicates: number;
}

export interface StartFlowRequest {
  organizationId: string;
  flowId: string;
  channelId: string;
  /** The contact's id on the channel (wa_id, Telegram chat id, web session id). */
  contactExternalId: string;
  contactName?: string;
  trigger: TriggerInfo;
  /** Makes a retried API call a no-op (seed 003 outbound trigger). */
  idempotencyKey?: string;
  /** Runs this flow version (the simulator's draft snapshot) instead of the published one. */
  versionId?: string;
}

export interface AgentReply {
  organizationId: string;
  contactId: string;
  message: OutboundMessage;
}

/** Finds the sender of a channel (WhatsApp number, Telegram bot, web simulator). */
export interface ChannelDirectory {
  senderFor(channel: ChannelRecord): ChannelSender;
}

export interface Runtime {
  readonly bus: LiveBus;
  /** Writes messages to the durable inbox (duplicates ignored) and schedules their processing. */
  acceptInbound(channel: ChannelRecord, messages: InboundMessage[]): Promise<AcceptResult>;
  /** Moves outbox rows forward from delivery receipts; returns how many rows changed. */
  applyStatuses(statuses: StatusUpdate[]): Promise<number>;
  /** Starts a flow for a contact (API trigger, lead, simulator); durable on return. */
  startFlow(request: StartFlowRequest): Promise<{ contactId: string; queued: boolean }>;
  /** Hands a conversation an operator took over back to the bot. */
  handback(organizationId: string, contactId: string): Promise<void>;
  /** Cancels an active execution; null when not found, "finished" when it already ended. */
  cancelExecution(organizationId: string, executionId: string): Promise<ExecutionRecord | "finished" | null>;
  /** Queues an operator's message; free-form messages need an open 24 h window on WhatsApp. */
  sendAgentReply(reply: AgentReply): Promise<{ outboundId: number; windowOpen: boolean }>;
  /** Recovers unfinished work and starts the background loops. */
  start(): Promise<void>;
  /** Stops taking work, drains what is in flight, stops the loops. */
  stop(): Promise<void>;
  /** Resolves when every queued step and send has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
}
