/**
 * The outbox dispatcher (DESIGN §6 step 4): one contact's rows leave strictly in order — the next only
 * after the previous was accepted or failed for good — while contacts run in parallel within each
 * channel's rate. Retryable errors back off with jitter and hold the contact's line; permanent ones
 * fail the row with the provider's code and let the line move on. Outside WhatsApp's 24 h window a
 * free-form message becomes the fallback template, or fails with WA_WINDOW_CLOSED.
 */
import type { SendOutcome } from "../core/channel.ts";
import type { OutboundMessage } from "../core/messages.ts";
import { isFreeForm } from "../core/messages.ts";
import type { Database } from "../store/database.ts";
import type { ChannelRecord, ContactRecord, OutboundMessageRecord } from "../store/records.ts";
import { getContact } from "../store/repositories/contacts.ts";
import { insertExecutionLogs } from "../store/repositories/execution-logs.ts";
import { getExecution } from "../store/repositories/executions.ts";
import {
  listUnsentForContact,
  markOutboundFailed,
  markOutboundSending,
  markOutboundSent,
  scheduleOutboundRetry,
} from "../store/repositories/outbox.ts";
import type { WriteBatcher } from "../store/write-batcher.ts";
import type { FlowVersionCache } from "./flow-cache.ts";
import { drainLine, type LineHandoff } from "./line-handoff.ts";
import type { LiveBus } from "./live-bus.ts";
import { createLocalRateLimiter, type RateLimiter } from "./rate-limiter.ts";
import type { ChannelDirectory } from "./runtime-types.ts";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * An outbox row handed over in memory by the step that queued it, with the contact as that step read
 * it: fresh enough for the window check, since the step ran after the message that opened it.
 */
export type HandedOutbound = OutboundMessageRecord & { readonly contact?: ContactRecord };
/** Rows of one line read per query. */
const DRAIN_BATCH = 10;

export interface DispatcherOptions {
  ratePerSecond: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /**
   * Scale-out: claim each row (queued → sending) before sending it, and leave a line whose head
   * another process is sending. Off in embedded mode, where this process owns every line.
   */
  claimRows?: boolean;
}

export interface DispatcherDeps {
  database: Database;
  batcher: WriteBatcher;
  directory: ChannelDirectory;
  flows: FlowVersionCache;
  bus: LiveBus;
  channel(organizationId: string, channelId: string): Promise<ChannelRecord | null>;
  now(): number;
  /** Asks for another drain of the contact's line at `at` (a retry becoming due). */
  wakeAt(contactId: string, at: number): void;
  onSent?(row: OutboundMessageRecord): void;
  onFailed?(row: OutboundMessageRecord, code: string): void;
  random?(): number;
  /** Shared across processes in scale-out (redis-rate-limiter.ts); per process by default. */
  rateLimiter?: RateLimiter;
  /** Embedded mode: rows just queued, so a drain need not read them back (line-handoff.ts). */
  handoff?: LineHandoff<HandedOutbound>;
}

export function createDispatcher(deps: DispatcherDeps, options: DispatcherOptions) {
  const { database } = deps;
  const markSent = createSentMarks(deps.batcher);
  const limiter = deps.rateLimiter ?? createLocalRateLimiter(deps.now);
  /** Contact → the lastInboundAt of the closed window in which its fallback template already went. */
  const fallbackSent = new Map<string, number | null>();
  const random = deps.random ?? Math.random;

  /** Sends the contact's due rows in order until the line is empty or must wait. */
  async function drain(contactId: string): Promise<void> {
    // Read the contact once per drain, not once per message: a drain lasts milliseconds, and a window
    // that reopens meanwhile is seen by the next drain.
    const line = { contactId, contact: undefined as ContactRecord | null | undefined };
    await drainLine({
      handoff: deps.handoff,
      contactId,
      pageSize: DRAIN_BATCH,
      readPage: (limit) => listUnsentForContact(database.db, contactId, limit),
      handle: async (row) => {
        if ((await sendHead(row, line)) === "next") return true;
        // The head now waits with a new state in the store (retry, backoff): read it from there.
        deps.handoff?.forget(contactId);
        return false;
      },
    });
  }

  /** Sends (or fails, or defers) the head row of a line; "stop" when the line must wait. */
  async function sendHead(
    row: HandedOutbound,
    line: { contactId: string; contact: ContactRecord | null | undefined },
  ): Promise<"next" | "stop"> {
    const { contactId } = line;
    const now = deps.now();
    // Another process is sending the head row; it goes on down the line after it.
    if (options.claimRows && row.status === "sending") return "stop";
    if (row.nextAttemptAt > now) {
      deps.wakeAt(contactId, row.nextAttemptAt);
      return "stop";
    }
    if (options.claimRows && !(await markOutboundSending(database.db, row.id, now))) return "stop";
    const channel = await deps.channel(row.organizationId, row.channelId);
    line.contact ??= row.contact ?? (await getContact(database.db, row.organizationId, contactId));
    const contact = line.contact;
    if (!channel || !contact) {
      await fail(row, "CHANNEL_SEND_FAILED", channel ? "Contact not found" : "Channel not found");
      return "next";
    }
    const sender = deps.directory.senderFor(channel);
    let message: OutboundMessage = row.payload;
    if (sender.enforcesWindow && isFreeForm(message) && isWindowClosed(contact, now)) {
      const fallback =
        fallbackSent.get(contactId) === contact.lastInboundAt ? null : await fallbackTemplate(row, channel);
      if (!fallback) {
        await fail(
          row,
          "WA_WINDOW_CLOSED",
          "The 24 h window is closed and no fallback template is configured (or it was already sent).",
        );
        return "next";
      }
      fallbackSent.set(contactId, contact.lastInboundAt);
      message = fallback;
    }
    await limiter.take(channel.id, options.ratePerSecond);
    let outcome: SendOutcome;
    try {
      outcome = await sender.send(contact.externalId, message);
    } catch (error) {
      outcome = {
        ok: false,
        retryable: true,
        code: "CHANNEL_UNAVAILABLE",
        message: error instanceof Error ? error.message : String(error),
      };
    }
    const at = deps.now();
    if (outcome.ok) {
      const providerMessageId = outcome.providerMessageId;
      await markSent({ id: row.id, providerMessageId, at });
      deps.onSent?.(row);
      publish(row, "sent", at);
      return "next";
    }
    if (outcome.retryable && row.attempts + 1 < options.maxAttempts) {
      const delay = Math.max(outcome.retryAfterMs ?? 0, backoff(row.attempts));
      const nextAt = at + delay;
      if (outcome.scope === "channel") limiter.pauseUntil(channel.id, nextAt);
      await scheduleOutboundRetry(
        database.db,
        row.id,
        row.attempts + 1,
        nextAt,
        { code: outcome.code, message: outcome.message },
        at,
      );
      deps.wakeAt(contactId, nextAt);
      return "stop";
    }
    const code = outcome.providerCode ? `${outcome.code}:${outcome.providerCode}` : outcome.code;
    await fail(row, code, outcome.message);
    return "next";
  }

  /** Exponential backoff with ±20 % jitter, capped. */
  function backoff(attempts: number): number {
    const raw = Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** attempts);
    return Math.round(raw * (0.8 + random() * 0.4));
  }

  async function fail(row: OutboundMessageRecord, code: string, message: string): Promise<void> {
    const at = deps.now();
    await markOutboundFailed(database.db, row.id, code, message, at);
    if (row.executionId) {
      await insertExecutionLogs(database.db, [
        {
          executionId: row.executionId,
          organizationId: row.organizationId,
          nodeId: row.nodeId ?? "",
          nodeType: row.payload.type,
          action: "error",
          message: `Message not delivered (${code}): ${message}`,
          output: { outboundId: row.id, code },
          createdAt: at,
        },
      ]);
    }
    deps.onFailed?.(row, code);
    publish(row, "failed", at, code);
  }

  function publish(row: OutboundMessageRecord, status: "sent" | "failed", at: number, errorCode?: string) {
    deps.bus.publish({
      type: "message_update",
      event: status,
      organizationId: row.organizationId,
      contactId: row.contactId,
      messageId: row.id,
      executionId: row.executionId,
      status,
      ...(errorCode ? { errorCode } : {}),
      timestamp: new Date(at).toISOString(),
    });
  }

  /** The flow version's fallback template, else the channel's (the organization-wide default). */
  async function fallbackTemplate(
    row: OutboundMessageRecord,
    channel: ChannelRecord,
  ): Promise<OutboundMessage | null> {
    if (row.executionId) {
      const execution = await getExecution(database.db, row.organizationId, row.executionId);
      const flow = execution
        ? await deps.flows.get(database.db, row.organizationId, execution.flowVersionId)
        : null;
      const template = flow?.settings.fallbackTemplate;
      if (template)
        return {
          type: "template",
          name: template.name,
          language: template.language,
          params: template.params,
        };
    }
    const configured = channel.config.fallbackTemplate;
    if (configured !== null && typeof configured === "object") {
      const { name, language, params } = configured as Record<string, unknown>;
      if (typeof name === "string" && name !== "") {
        return {
          type: "template",
          name,
          language: typeof language === "string" ? language : "en_US",
          params: Array.isArray(params) ? params.map(String) : [],
        };
      }
    }
    return null;
  }

  return { drain };
}

interface SentMark {
  id: number;
  providerMessageId: string;
  at: number;
}

/**
 * Records accepted sends: marks that arrive before the batcher starts their unit share it, so a burst
 * of answers from the channel costs one unit of work instead of one each. Resolves once committed.
 */
export function createSentMarks(batcher: WriteBatcher): (mark: SentMark) => Promise<void> {
  let queued: SentMark[] = [];
  let unit: Promise<void> | null = null;
  const start = (): Promise<void> => {
    const started: Promise<void> = batcher.run(async (trx) => {
      const marks = queued;
      queued = [];
      unit = null; // marks from here on go to the next unit
      for (const { id, providerMessageId, at } of marks)
        await markOutboundSent(trx, id, providerMessageId, at);
    });
    // Rejected before its work ran (its batch never started): its marks fail with it, and the next
    // mark starts a new unit instead of joining this one.
    started.catch(() => {
      if (unit !== started) return;
      unit = null;
      queued = [];
    });
    return started;
  };
  return (mark) => {
    queued.push(mark);
    unit ??= start();
    return unit;
  };
}

/** True when WhatsApp would refuse a free-form message: no message from the contact in 24 h. */
export function isWindowClosed(contact: ContactRecord, now: number): boolean {
  return contact.lastInboundAt === null || now - contact.lastInboundAt > WINDOW_MS;
}
