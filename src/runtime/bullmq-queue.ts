/**
 * The WorkQueue on BullMQ (scale-out): a kick becomes a job "drain this contact's inbox/outbox" that
 * any worker process may take. Kicks coalesce through BullMQ's jobId dedupe on `<contact>-<generation>`:
 * a worker bumps the contact's generation before it drains, so kicks while a job waits share it, and
 * a kick that arrives mid-drain adds exactly one follow-up job (a fixed jobId would swallow it while
 * the job runs). No state can be left half-written by a crash: a dead worker's job is retried by
 * BullMQ's stalled check. Correctness never rests on the queue: the stepper's contact lock +
 * closed-row check and the outbox's queued → sending claim make a repeated or concurrent drain harmless.
 */
import { type Job, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { WorkHandlers, WorkLane, WorkQueue } from "./work-queue.ts";

export interface BullMqQueueOptions {
  /** Shared connection, created with `maxRetriesPerRequest: null` (BullMQ needs it for workers). */
  connection: Redis;
  /** Redis key prefix of one installation (several installations or test runs may share a Redis). */
  prefix: string;
  /** Contacts stepped in parallel by this process; sends run on four times as many. */
  concurrency: number;
  /** A job left unfinished by a dead worker is retried after this long (BullMQ's stalled check). */
  lockDurationMs?: number;
  onError?: (error: unknown) => void;
}

interface KickData {
  contactId: string;
}

/** A contact's generation counter expires after a quiet day; a reset one only risks an extra drain. */
const GENERATION_TTL_MS = 24 * 60 * 60 * 1000;
const LANES: readonly WorkLane[] = ["inbox", "outbox"];

export function createBullMqQueue(options: BullMqQueueOptions): WorkQueue {
  const { connection, prefix } = options;
  const queues = {
    inbox: new Queue<KickData>("inbox", { connection, prefix }),
    outbox: new Queue<KickData>("outbox", { connection, prefix }),
  };
  const pendingKicks = new Set<Promise<void>>();
  /** Drains of one contact and lane in this process run one after another, never side by side. */
  const localDrains = new Map<string, Promise<void>>();
  let workers: Worker<KickData>[] = [];
  let active = 0;
  let stopped = false;

  const generationKey = (lane: WorkLane, contactId: string) => `${prefix}:generation:${lane}:${contactId}`;

  function kick(lane: WorkLane, contactId: string, delayMs = 0): void {
    if (stopped) return;
    const task = (async () => {
      const generation = (await connection.get(generationKey(lane, contactId))) ?? "0";
      // Ignored by BullMQ while a job with this id exists: kicks coalesce until a worker starts it.
      await queues[lane].add(
        lane,
        { contactId },
        {
          jobId: `${contactId}-${generation}`,
          removeOnComplete: true,
          removeOnFail: true,
          ...(delayMs > 0 ? { delay: delayMs } : {}),
        },
      );
    })()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => pendingKicks.delete(task));
    pendingKicks.add(task);
  }

  function processorFor(lane: WorkLane, handlers: WorkHandlers) {
    return async (job: Job<KickData>) => {
      const { contactId } = job.data;
      const key = generationKey(lane, contactId);
      active += 1;
      try {
        // A new generation before draining: a kick from now on adds a new job, so no wake-up is lost.
        await connection.multi().incr(key).pexpire(key, GENERATION_TTL_MS).exec();
        const drain = async () => {
          if (lane === "inbox") await handlers.drainInbox(contactId);
          else await handlers.drainOutbox(contactId);
        };
        // A follow-up job for a contact this process is draining waits for that drain, then runs:
        // no two local drains of one contact contend for its row lock.
        const previous = localDrains.get(key);
        const current = previous ? previous.then(drain) : drain();
        const settled = current.catch(() => undefined);
        localDrains.set(key, settled);
        void settled.then(() => {
          if (localDrains.get(key) === settled) localDrains.delete(key);
        });
        await current;
      } catch (error) {
        handlers.onError(lane, contactId, error);
      } finally {
        active -= 1;
      }
    };
  }

  const queue: WorkQueue = {
    distributed: true,
    kickInbox: (contactId) => kick("inbox", contactId),
    kickOutbox: (contactId, delayMs) => kick("outbox", contactId, delayMs),
    async start(handlers) {
      if (!handlers || workers.length > 0) return;
      workers = LANES.map(
        (lane) =>
          new Worker<KickData>(lane, processorFor(lane, handlers), {
            connection,
            prefix,
            concurrency: lane === "inbox" ? options.concurrency : options.concurrency * 4,
            lockDuration: options.lockDurationMs ?? 30_000,
            stalledInterval: options.lockDurationMs ?? 30_000,
            removeOnComplete: { count: 0 },
            removeOnFail: { count: 0 },
          }),
      );
      for (const worker of workers) worker.on("error", (error) => options.onError?.(error));
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    async stop() {
      await Promise.all([...pendingKicks]);
      stopped = true;
      await Promise.all(workers.map((worker) => worker.close()));
      workers = [];
      await Promise.all(LANES.map((lane) => queues[lane].close()));
    },
    async idle() {
      for (;;) {
        await Promise.all([...pendingKicks]);
        const counts = await Promise.all(
          LANES.map((lane) => queues[lane].getJobCounts("waiting", "active", "prioritized", "paused")),
        );
        const queued = counts.reduce(
          (sum, byState) => sum + Object.values(byState).reduce((a, b) => a + b, 0),
          0,
        );
        if (queued === 0 && active === 0 && pendingKicks.size === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    get depth() {
      return active + pendingKicks.size;
    },
  };
  return queue;
}
