/**
 * Wires the runtime (DESIGN §6): the durable inbox with one ordered lane per contact, the step
 * transaction, the outbox dispatcher, durable timers, HTTP effects and live events — plus recovery
 * of everything unfinished when the process starts again.
 */
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { InboundMessage, StatusUpdate } from "../core/channel.ts";
import { ParleyError } from "../core/errors.ts";
import { isFinished } from "../core/execution.ts";
import { isFreeForm } from "../core/messages.ts";
import type { Database } from "../store/database.ts";
import type { ChannelRecord, ExecutionRecord, InboundMessageRecord } from "../store/records.ts";
import { getChannel } from "../store/repositories/channels.ts";
import { ensureContact, getContact, upsertContactFromInbound } from "../store/repositories/contacts.ts";
import { findActiveExecution, getExecution } from "../store/repositories/executions.ts";
import {
  insertInboundMessages,
  listPendingInbound,
  listPendingInboundForContact,
} from "../store/repositories/inbox.ts";
import {
  applyDeliveryStatus,
  enqueueOutbound,
  listContactsWithDueOutbound,
  queuedRecord,
  requeueStaleSending,
} from "../store/repositories/outbox.ts";
import { claimDueTimers } from "../store/repositories/timers.ts";
import { type StoreDb, withTransaction } from "../store/transaction.ts";
import { createWriteBatcher } from "../store/write-batcher.ts";
import { createDispatcher, type HandedOutbound, isWindowClosed } from "./dispatcher.ts";
import { createFlowVersionCache } from "./flow-cache.ts";
import { createHttpClient, type HttpClient } from "./http-client.ts";
import { eventKey, type InboxEvent, readInboxEvent } from "./inbox-events.ts";
import { createLineHandoff, drainLine } from "./line-handoff.ts";
import { createInProcessLiveBus, type LiveBus } from "./live-bus.ts";
import { type AfterCommit, createAfterCommit } from "./persist-step.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { ChannelDirectory, Runtime } from "./runtime-types.ts";
import { cancelExecutionIn, createStepper, lockContact, rememberActive } from "./stepper.ts";
import { createInProcessQueue, type WorkQueue } from "./work-queue.ts";

export interface RuntimeLogger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

/** Hooks for metrics; every one is optional. */
export interface RuntimeObserver {
  inboundAccepted?(count: number): void;
  inboundDuplicate?(count: number): void;
  turn?(durationMs: number): void;
  outboundSent?(): void;
  outboundFailed?(code: string): void;
}

export interface RuntimeOptions {
  /** Contacts processed in parallel (steps and sends each). */
  concurrency?: number;
  ratePerSecond?: number;
  maxSendAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  timerIntervalMs?: number;
  sweepIntervalMs?: number;
  /** Where inbound media files are stored; unset → media is not downloaded. */
  mediaDir?: string;
  httpAllowlist?: readonly string[];
  /**
   * Scale-out: a row claimed for sending longer ago than this by a process that died is sent again.
   * Must exceed the channel's send timeout. Default 60 s.
   */
  sendLeaseMs?: number;
}

/** web: accept and enqueue only; worker: step, send, fire timers, recover; all: both (DESIGN §7). */
export type RuntimeRole = "web" | "worker" | "all";

export interface RuntimeDeps {
  database: Database;
  directory: ChannelDirectory;
  bus?: LiveBus;
  http?: HttpClient;
  logger?: RuntimeLogger;
  observer?: RuntimeObserver;
  now?: () => number;
  options?: RuntimeOptions;
  /** Work distribution; in-process lanes by default, BullMQ in scale-out (scale-out.ts). */
  queue?: WorkQueue;
  /** Send rate per channel; per process by default, shared through Redis in scale-out. */
  rateLimiter?: RateLimiter;
  /** Default "all". A web runtime drains nothing and runs no loops: workers do. */
  role?: RuntimeRole;
  /** Told how many stale `sending` rows were put back in the queue (scale-out recovery). */
  onRequeued?: (count: number) => void;
}

const silentLogger: RuntimeLogger = { info() {}, warn() {}, error() {} };

/**
 * Work the sweeps find waiting longer than this is read from the store on its lane's next drain,
 * whatever the in-memory handoff says, so anything the handoff missed is still done.
 */
const HANDOFF_DISTRUST_MS = 5000;

export function createRuntime(deps: RuntimeDeps): Runtime {
  const { database, directory } = deps;
  const options = deps.options ?? {};
  const now = deps.now ?? Date.now;
  const logger = deps.logger ?? silentLogger;
  const observer = deps.observer ?? {};
  const bus = deps.bus ?? createInProcessLiveBus();
  const http = deps.http ?? createHttpClient({ allowlist: options.httpAllowlist ?? [] });
  const flows = createFlowVersionCache();
  const batcher = createWriteBatcher(database);
  const channelCache = new Map<string, { channel: ChannelRecord; at: number }>();
  const concurrency = options.concurrency ?? 16;
  const queue = deps.queue ?? createInProcessQueue({ concurrency });
  // Embedded mode owns every line, so rows it commits go to the lane in memory; in scale-out another
  // process may drain the contact, so lanes always read the store.
  const handoff = queue.distributed ? null : createLineHandoff<InboundMessageRecord>();
  const outboxHandoff = queue.distributed ? null : createLineHandoff<HandedOutbound>();
  /** Embedded mode: each contact's active execution as this process last committed it (stepper.ts). */
  const activeExecutions = queue.distributed ? null : new Map<string, ExecutionRecord | null>();
  const worksHere = (deps.role ?? "all") !== "web";
  const rowAttempts = new Map<number, number>();
  const inFlightHttp = new Set<Promise<void>>();
  let running = false;
  let closed = false;
  let loops: NodeJS.Timeout[] = [];

  async function channelById(
    organizationId: string,
    channelId: string,
    db: StoreDb = database.db,
  ): Promise<ChannelRecord | null> {
    const cached = channelCache.get(channelId);
    if (cached && now() - cached.at < 5000) return cached.channel;
    const channel = await getChannel(db, organizationId, channelId);
    if (channel) channelCache.set(channelId, { channel, at: now() });
    return channel;
  }

  const stepper = createStepper({
    database,
    ...(activeExecutions ? { active: activeExecutions } : {}),
    batcher,
    flows,
    channel: (db, organizationId, channelId) => channelById(organizationId, channelId, db),
    now,
  });
  const dispatcher = createDispatcher(
    {
      database,
      batcher,
      directory,
      flows,
      bus,
      channel: channelById,
      now,
      wakeAt: (contactId, at) => {
        if (running) queue.kickOutbox(contactId, Math.max(1, at - now()));
      },
      ...(deps.rateLimiter ? { rateLimiter: deps.rateLimiter } : {}),
      ...(outboxHandoff ? { handoff: outboxHandoff } : {}),
      onSent: () => observer.outboundSent?.(),
      onFailed: (_row, code) => observer.outboundFailed?.(code),
    },
    {
      ratePerSecond: options.ratePerSecond ?? 80,
      maxAttempts: options.maxSendAttempts ?? 10,
      baseBackoffMs: options.baseBackoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 5 * 60_000,
      claimRows: queue.distributed,
    },
  );
  const inbox = {
    kick: (contactId: string) => queue.kickInbox(contactId),
    /** Wakes the lanes of freshly committed rows, handing the rows over in embedded mode. */
    deliver(rows: readonly InboundMessageRecord[]) {
      for (const row of rows) handoff?.handOver(row.contactId, [row]);
      if (running) for (const row of rows) queue.kickInbox(row.contactId);
    },
  };
  const outbox = { kick: (contactId: string) => queue.kickOutbox(contactId) };

  /** Steps the contact's pending rows one at a time, in arrival order. */
  function drainInbox(contactId: string): Promise<void> {
    return drainLine({
      handoff,
      contactId,
      pageSize: 25,
      readPage: (limit) => listPendingInboundForContact(database.db, contactId, limit),
      // false is a transient failure: the rest waits for the next kick or sweep
      handle: processOne,
    });
  }

  async function processOne(row: InboundMessageRecord): Promise<boolean> {
    const started = performance.now();
    try {
      let event = readInboxEvent(row.payload);
      if (event.type === "message") event = { ...event, message: await withMedia(row, event.message) };
      const after = await stepper.processRow(row, event);
      rowAttempts.delete(row.id);
      if (after) {
        performAfterCommit(after);
        if (after.steps > 0) observer.turn?.(performance.now() - started);
      }
      return true;
    } catch (error) {
      // What this process remembered of the contact may be the cause: retry once from the store.
      if (activeExecutions?.delete(row.contactId)) return processOne(row);
      const attempts = (rowAttempts.get(row.id) ?? 0) + 1;
      rowAttempts.set(row.id, attempts);
      logger.error(
        { event: "ERROR", inboundId: row.id, contactId: row.contactId, attempts, err: String(error) },
        "step failed",
      );
      if (attempts >= 3) {
        rowAttempts.delete(row.id);
        await stepper.failRow(row, error).catch(() => undefined);
        return true;
      }
      return false;
    }
  }

  function performAfterCommit(after: AfterCommit): void {
    for (const event of after.live) bus.publish(event);
    if (!running) return; // recovery on the next start picks the work up
    for (const row of after.outbound) outboxHandoff?.handOver(row.contactId, [row]);
    for (const contactId of after.dispatch) outbox.kick(contactId);
    for (const contactId of after.wake) {
      handoff?.forget(contactId);
      inbox.kick(contactId);
    }
    for (const call of after.http) {
      const task = (async () => {
        const result = await http.send(call.request);
        logger.info(
          {
            event: "API_CALL",
            executionId: call.executionId,
            url: call.request.url,
            ok: result.ok,
            status: result.status,
          },
          "http effect",
        );
        await enqueueEvent(call.organizationId, call.channelId, call.contactId, {
          type: "httpResult",
          executionId: call.executionId,
          requestId: call.requestId,
          ...result,
        });
      })()
        .catch((error) => logger.error({ event: "ERROR", err: String(error) }, "http effect failed"))
        .finally(() => inFlightHttp.delete(task));
      inFlightHttp.add(task);
    }
  }

  /** Writes a runtime-made event to the contact's inbox and wakes its lane. */
  async function enqueueEvent(
    organizationId: string,
    channelId: string,
    contactId: string,
    event: InboxEvent,
  ): Promise<void> {
    const rows = await insertInboundMessages(database.db, [
      {
        organizationId,
        channelId,
        contactId,
        externalMessageId: eventKey(event, randomUUID()),
        payload: event,
        receivedAt: now(),
      },
    ]);
    inbox.deliver(rows);
  }

  /** Downloads inbound media into the data directory so flows can use `lastMedia.url`. */
  async function withMedia(row: InboundMessageRecord, message: InboundMessage): Promise<InboundMessage> {
    const media = message.media;
    if (!media?.providerMediaId || media.url || !options.mediaDir) return message;
    const channel = await channelById(row.organizationId, row.channelId);
    const sender = channel ? directory.senderFor(channel) : undefined;
    if (!sender?.downloadMedia) return message;
    try {
      const file = await sender.downloadMedia(media.providerMediaId);
      const name = `${randomUUID()}${extensionFor(file.mimeType)}`;
      await mkdir(options.mediaDir, { recursive: true });
      await writeFile(join(options.mediaDir, name), file.bytes);
      return { ...message, media: { ...media, url: `/api/media/${name}`, mimeType: file.mimeType } };
    } catch (error) {
      logger.warn({ event: "ERROR", inboundId: row.id, err: String(error) }, "media download failed");
      return message;
    }
  }

  async function timerTick(): Promise<number> {
    const claimed = await withTransaction(database, async (trx) => {
      const timers = await claimDueTimers(trx, now(), 200);
      const rows = [];
      for (const timer of timers) {
        const execution = await getExecution(trx, timer.organizationId, timer.executionId);
        if (!execution) continue;
        const event: InboxEvent = {
          type: "timer",
          timerId: timer.id,
          executionId: timer.executionId,
          kind: timer.kind,
        };
        rows.push({
          organizationId: timer.organizationId,
          channelId: execution.channelId,
          contactId: timer.contactId,
          externalMessageId: eventKey(event, timer.id),
          payload: event,
          receivedAt: now(),
        });
      }
      return insertInboundMessages(trx, rows);
    });
    inbox.deliver(claimed);
    return claimed.length;
  }

  async function sweepOutbox(): Promise<void> {
    const at = now();
    for (const { contactId, firstDue } of await listContactsWithDueOutbound(database.db, at, 500)) {
      if (firstDue < at - HANDOFF_DISTRUST_MS) outboxHandoff?.forget(contactId);
      outbox.kick(contactId);
    }
  }

  /** Scale-out: lines whose head a dead process had claimed move again once the lease ran out. */
  async function requeueStale(): Promise<void> {
    const contacts = await requeueStaleSending(database.db, now() - (options.sendLeaseMs ?? 60_000), now());
    if (contacts.length > 0) deps.onRequeued?.(contacts.length);
    for (const contactId of new Set(contacts)) outbox.kick(contactId);
  }

  /** Kicks every contact with pending rows (those pending for a while: see HANDOFF_DISTRUST_MS). */
  async function recoverInbox(): Promise<void> {
    const staleBefore = now() - HANDOFF_DISTRUST_MS;
    let afterId: number | undefined;
    for (;;) {
      const rows = await listPendingInbound(database.db, 1000, afterId);
      if (rows.length === 0) return;
      for (const row of rows) {
        if (row.receivedAt < staleBefore) handoff?.forget(row.contactId);
        inbox.kick(row.contactId);
      }
      afterId = rows[rows.length - 1]?.id;
    }
  }

  function loop(intervalMs: number, task: () => Promise<unknown>, name: string): void {
    let busy = false;
    const handle = setInterval(() => {
      if (busy || !running) return;
      busy = true;
      task()
        .catch((error) =>
          logger.error({ event: "ERROR", loop: name, err: String(error) }, "background loop failed"),
        )
        .finally(() => {
          busy = false;
        });
    }, intervalMs);
    handle.unref();
    loops.push(handle);
  }

  const runtime: Runtime = {
    bus,

    async acceptInbound(channel, messages) {
      if (messages.length === 0) return { accepted: 0, duplicates: 0 };
      const at = now();
      const inserted = await batcher.run(async (trx) => {
        const contactIds = new Map<string, string>();
        for (const message of messages) {
          const key = message.contact.externalId;
          if (contactIds.has(key)) continue;
          const contact = await upsertContactFromInbound(trx, {
            organizationId: channel.organizationId,
            channelId: channel.id,
            externalId: key,
            ...(message.contact.name ? { name: message.contact.name } : {}),
            ...(message.contact.phone ? { phone: message.contact.phone } : {}),
            at: Math.min(at, message.timestamp || at),
          });
          contactIds.set(key, contact.id);
        }
        return insertInboundMessages(
          trx,
          messages.map((message) => {
            const event: InboxEvent = { type: "message", message };
            return {
              organizationId: channel.organizationId,
              channelId: channel.id,
              contactId: contactIds.get(message.contact.externalId) as string,
              externalMessageId: message.externalMessageId,
              payload: event,
              receivedAt: at,
            };
          }),
        );
      });
      const duplicates = messages.length - inserted.length;
      observer.inboundAccepted?.(inserted.length);
      if (duplicates > 0) observer.inboundDuplicate?.(duplicates);
      inbox.deliver(inserted);
      return { accepted: inserted.length, duplicates };
    },

    async applyStatuses(statuses: StatusUpdate[]) {
      let changed = 0;
      for (const status of statuses) {
        const row = await applyDeliveryStatus(
          database.db,
          status.providerMessageId,
          status.status,
          status.timestamp || now(),
          status.errorCode
            ? { code: status.errorCode, ...(status.errorMessage ? { message: status.errorMessage } : {}) }
            : undefined,
        );
        if (!row) continue;
        changed += 1;
        bus.publish({
          type: "message_update",
          event: status.status,
          organizationId: row.organizationId,
          contactId: row.contactId,
          messageId: row.id,
          executionId: row.executionId,
          status: row.status,
          ...(row.errorCode ? { errorCode: row.errorCode } : {}),
          timestamp: new Date(now()).toISOString(),
        });
      }
      return changed;
    },

    async startFlow(request) {
      const channel = await channelById(request.organizationId, request.channelId);
      if (!channel) throw new ParleyError("NOT_FOUND", "No such channel in this organization.");
      const contact = await ensureContact(database.db, {
        organizationId: request.organizationId,
        channelId: channel.id,
        externalId: request.contactExternalId,
        ...(request.contactName ? { name: request.contactName } : {}),
        at: now(),
      });
      const event: InboxEvent = {
        type: "start",
        flowId: request.flowId,
        trigger: request.trigger,
        ...(request.versionId === undefined ? {} : { versionId: request.versionId }),
      };
      const inserted = await insertInboundMessages(database.db, [
        {
          organizationId: request.organizationId,
          channelId: channel.id,
          contactId: contact.id,
          externalMessageId: eventKey(event, request.idempotencyKey ?? randomUUID()),
          payload: event,
          receivedAt: now(),
        },
      ]);
      inbox.deliver(inserted);
      return { contactId: contact.id, queued: inserted.length > 0 };
    },

    async handback(organizationId, contactId) {
      const contact = await getContact(database.db, organizationId, contactId);
      if (!contact) throw new ParleyError("NOT_FOUND", "No such contact in this organization.");
      await enqueueEvent(organizationId, contact.channelId, contact.id, { type: "handback" });
    },

    async cancelExecution(organizationId, executionId) {
      const after = createAfterCommit();
      // Through the batcher, so the memory of active executions changes in commit order.
      const result = await batcher.run(
        async (trx) => {
          const found = await getExecution(trx, organizationId, executionId);
          if (!found) return null;
          // Forgotten at once: a step later in this same commit must read the cancellation.
          activeExecutions?.delete(found.contactId);
          await lockContact(trx, database.dialect, found.contactId);
          const execution = await getExecution(trx, organizationId, executionId);
          if (!execution) return null;
          if (isFinished(execution.status)) return "finished" as const;
          await cancelExecutionIn(trx, execution, now(), after);
          return getExecution(trx, organizationId, executionId);
        },
        () => rememberActive(activeExecutions ?? undefined, after),
      );
      performAfterCommit(after);
      return result;
    },

    async sendAgentReply(reply) {
      const contact = await getContact(database.db, reply.organizationId, reply.contactId);
      if (!contact) throw new ParleyError("NOT_FOUND", "No such contact in this organization.");
      const channel = await channelById(reply.organizationId, contact.channelId);
      if (!channel) throw new ParleyError("NOT_FOUND", "No such channel in this organization.");
      const at = now();
      const windowOpen = !directory.senderFor(channel).enforcesWindow || !isWindowClosed(contact, at);
      if (!windowOpen && isFreeForm(reply.message)) {
        throw new ParleyError(
          "WA_TEMPLATE_REQUIRED",
          "The 24 h window is closed: only an approved template may be sent.",
        );
      }
      const active = await findActiveExecution(database.db, reply.organizationId, contact.id);
      const queued = {
        organizationId: reply.organizationId,
        channelId: channel.id,
        contactId: contact.id,
        executionId: active?.id ?? null,
        nodeId: null,
        payload: reply.message,
        nextAttemptAt: at,
        createdAt: at,
      };
      const [outboundId] = await enqueueOutbound(database.db, [queued]);
      if (outboundId !== undefined) outboxHandoff?.handOver(contact.id, [queuedRecord(queued, outboundId)]);
      if (running) outbox.kick(contact.id);
      return { outboundId: outboundId as number, windowOpen };
    },

    async start() {
      if (running) return;
      if (closed) throw new Error("A stopped runtime cannot be started again; create a new one.");
      running = true;
      if (!worksHere) return queue.start();
      await queue.start({
        drainInbox,
        drainOutbox: (contactId) => dispatcher.drain(contactId),
        onError: (lane, contactId, error) =>
          logger.error({ event: "ERROR", contactId, err: String(error) }, `${lane} lane failed`),
      });
      await recoverInbox();
      await sweepOutbox();
      loop(options.timerIntervalMs ?? 250, timerTick, "timers");
      loop(options.sweepIntervalMs ?? 2000, sweepOutbox, "outbox-sweep");
      // Pending rows a transient failure (or, in scale-out, a dead worker) left behind get another chance.
      loop((options.sweepIntervalMs ?? 2000) * 5, recoverInbox, "inbox-sweep");
      if (queue.distributed) loop(options.sweepIntervalMs ?? 2000, requeueStale, "outbox-lease");
    },

    async stop() {
      running = false;
      for (const handle of loops) clearInterval(handle);
      loops = [];
      await Promise.all([queue.stop(), ...inFlightHttp]);
      if (!closed) {
        closed = true;
        await http.close();
      }
    },

    async idle() {
      for (;;) {
        await Promise.all([queue.idle(), ...inFlightHttp]);
        if (queue.depth === 0 && inFlightHttp.size === 0) return;
      }
    },
  };

  return runtime;
}

function extensionFor(mimeType: string): string {
  const known: Record<string, string> = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "video/mp4": ".mp4",
    "application/pdf": ".pdf",
  };
  return known[mimeType.split(";")[0]?.trim() ?? ""] ?? "";
}
