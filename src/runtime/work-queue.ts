/**
 * The runtime's work-distribution port: "this contact's inbox (or outbox) has work" kicks, and the
 * per-contact drains that answer them. In-process lanes for embedded mode; BullMQ (bullmq-queue.ts)
 * spreads the same kicks over many worker processes. A kick carries no data — the rows are durable
 * in the store — so a lost kick costs latency (the sweeps find the rows), never a message.
 */
import { createContactLanes } from "./contact-lanes.ts";

export type WorkLane = "inbox" | "outbox";

export interface WorkHandlers {
  /** Steps the contact's pending inbox rows in arrival order. */
  drainInbox(contactId: string): Promise<void>;
  /** Sends the contact's due outbox rows in order. */
  drainOutbox(contactId: string): Promise<void>;
  onError(lane: WorkLane, contactId: string, error: unknown): void;
}

export interface WorkQueue {
  /**
   * True when other processes drain the same contacts: the dispatcher must then claim each outbox
   * row (queued → sending) before sending it.
   */
  readonly distributed: boolean;
  kickInbox(contactId: string): void;
  /** Asks for an outbox drain now, or after `delayMs` (a retry becoming due). */
  kickOutbox(contactId: string, delayMs?: number): void;
  /** Starts taking kicks; with handlers this process also drains (worker role), without it only produces. */
  start(handlers?: WorkHandlers): Promise<void>;
  /** Stops draining and producing; resolves when local drains in flight have finished. */
  stop(): Promise<void>;
  /** Resolves when no kick is waiting or being drained (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Kicks waiting or being drained in this process. */
  readonly depth: number;
}

export interface InProcessQueueOptions {
  /** Contacts stepped in parallel; sends run on four times as many lanes. */
  concurrency: number;
}

/** Embedded mode: one ordered lane per contact inside this process (contact-lanes.ts). */
export function createInProcessQueue(options: InProcessQueueOptions): WorkQueue {
  let lanes: { inbox: ReturnType<typeof createContactLanes>; outbox: ReturnType<typeof createContactLanes> };
  let lanesReady = false;
  let stopped = false;
  const delayed = new Map<string, NodeJS.Timeout>();

  const kick = (lane: WorkLane, contactId: string) => {
    if (lanesReady && !stopped) lanes[lane].kick(contactId);
  };

  return {
    distributed: false,
    kickInbox: (contactId) => kick("inbox", contactId),
    kickOutbox(contactId, delayMs = 0) {
      if (delayMs <= 0) return kick("outbox", contactId);
      if (stopped) return;
      // One pending wake-up per contact: a later retry time replaces an earlier one, as before.
      clearTimeout(delayed.get(contactId));
      delayed.set(
        contactId,
        setTimeout(() => {
          delayed.delete(contactId);
          kick("outbox", contactId);
        }, delayMs),
      );
    },
    async start(handlers) {
      if (!handlers || lanesReady) return;
      lanes = {
        inbox: createContactLanes({
          concurrency: options.concurrency,
          drain: (contactId) => handlers.drainInbox(contactId),
          onError: (contactId, error) => handlers.onError("inbox", contactId, error),
        }),
        outbox: createContactLanes({
          concurrency: options.concurrency * 4,
          drain: (contactId) => handlers.drainOutbox(contactId),
          onError: (contactId, error) => handlers.onError("outbox", contactId, error),
        }),
      };
      lanesReady = true;
    },
    async stop() {
      stopped = true;
      for (const handle of delayed.values()) clearTimeout(handle);
      delayed.clear();
      await this.idle();
    },
    async idle() {
      if (!lanesReady) return;
      for (;;) {
        await Promise.all([lanes.inbox.idle(), lanes.outbox.idle()]);
        if (lanes.inbox.depth === 0 && lanes.outbox.depth === 0) return;
      }
    },
    get depth() {
      return lanesReady ? lanes.inbox.depth + lanes.outbox.depth : 0;
    },
  };
}
