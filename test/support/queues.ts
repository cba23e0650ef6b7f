/**
 * The work queues the contract suites run on: in-process always, BullMQ + Redis when Redis is
 * reachable (required in CI, where an unreachable Redis fails the run instead of skipping it). Each
 * connect() takes a key prefix of its own; cleanup deletes every key under it.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { LiveBus } from "../../src/runtime/live-bus.ts";
import { createInProcessLiveBus } from "../../src/runtime/live-bus.ts";
import { createLocalRateLimiter, type RateLimiter } from "../../src/runtime/rate-limiter.ts";
import { connectScaleOut } from "../../src/runtime/scale-out.ts";
import { createInProcessQueue, type WorkQueue } from "../../src/runtime/work-queue.ts";

export const REDIS_TEST_URL = process.env.PARLEY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface QueueDeps {
  queue: WorkQueue;
  bus: LiveBus;
  rateLimiter: RateLimiter;
}

export interface TestQueue {
  name: "in-process" | "bullmq";
  /** True when two connect() calls with one prefix reach the same queue, bus and buckets. */
  distributed: boolean;
  connect(options?: {
    prefix?: string;
    concurrency?: number;
    lockDurationMs?: number;
  }): Promise<QueueDeps & { prefix: string; cleanup(): Promise<void> }>;
}

export const inProcessQueue: TestQueue = {
  name: "in-process",
  distributed: false,
  async connect(options = {}) {
    return {
      prefix: options.prefix ?? "in-process",
      queue: createInProcessQueue({ concurrency: options.concurrency ?? 16 }),
      bus: createInProcessLiveBus(),
      rateLimiter: createLocalRateLimiter(),
      async cleanup() {},
    };
  },
};

export const bullMqQueue: TestQueue = {
  name: "bullmq",
  distributed: true,
  async connect(options = {}) {
    const prefix = options.prefix ?? newRedisPrefix();
    const scaleOut = await connectScaleOut({
      redisUrl: REDIS_TEST_URL,
      prefix,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.lockDurationMs === undefined ? {} : { lockDurationMs: options.lockDurationMs }),
    });
    return {
      prefix,
      ...scaleOut.deps,
      async cleanup() {
        await scaleOut.close();
        await deleteRedisKeys(prefix);
      },
    };
  },
};

/** The queues to run; throws in CI when Redis is unreachable, so BullMQ is never skipped there. */
export async function testQueues(): Promise<TestQueue[]> {
  const problem = await checkRedis(REDIS_TEST_URL);
  if (problem === null) return [inProcessQueue, bullMqQueue];
  if (process.env.CI)
    throw new Error(`Redis is required in CI but unreachable at ${REDIS_TEST_URL}: ${problem}`);
  console.warn(`Redis unreachable at ${REDIS_TEST_URL} (${problem}): BullMQ suites not run outside CI.`);
  return [inProcessQueue];
}

/** A prefix no other test run uses. */
export function newRedisPrefix(): string {
  return `parley-test-${randomBytes(5).toString("hex")}`;
}

/** Deletes every key under `prefix:` (a test run's queues, flags, buckets). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

async function checkRedis(url: string): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    client.disconnect();
  }
}
