/**
 * Scale-out wiring in one call: from REDIS_URL, the BullMQ work queue, the Redis live bus and the
 * shared rate limiter that createRuntime takes in place of its in-process defaults.
 * @example
 * const scaleOut = await connectScaleOut({ redisUrl: config.store.redisUrl, concurrency: 16 });
 * const runtime = createRuntime({ database, directory, role: config.runtime.role, ...scaleOut.deps });
 * // on shutdown: await runtime.stop(); await scaleOut.close();
 */
import { Redis } from "ioredis";
import { createBullMqQueue } from "./bullmq-queue.ts";
import type { LiveBus } from "./live-bus.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { createRedisLiveBus } from "./redis-live-bus.ts";
import { createRedisRateLimiter } from "./redis-rate-limiter.ts";
import type { WorkQueue } from "./work-queue.ts";

export interface ScaleOutOptions {
  redisUrl: string;
  /** Key prefix: processes of one installation share it; tests use one per run. Default "parley". */
  prefix?: string;
  /** Contacts stepped in parallel by this process (as RuntimeOptions.concurrency). */
  concurrency?: number;
  /** Retry delay of a job whose worker died (BullMQ lock duration). */
  lockDurationMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface ScaleOut {
  deps: { queue: WorkQueue; bus: LiveBus; rateLimiter: RateLimiter };
  /** Closes the Redis connections; call after runtime.stop(). */
  close(): Promise<void>;
}

export async function connectScaleOut(options: ScaleOutOptions): Promise<ScaleOut> {
  const prefix = options.prefix ?? "parley";
  const onError = options.onError ?? (() => undefined);
  // lazyConnect: connect() rejects at once when Redis is unreachable, instead of queueing forever.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  // Without a listener ioredis prints every reconnect error; route them to the caller's log instead.
  connection.on("error", onError);
  subscriber.on("error", onError);
  try {
    await Promise.all([connection.connect(), subscriber.connect()]);
    const bus = await createRedisLiveBus({
      publisher: connection,
      subscriber,
      channel: `${prefix}:live`,
      onError,
    });
    const queue = createBullMqQueue({
      connection,
      prefix,
      concurrency: options.concurrency ?? 16,
      ...(options.lockDurationMs === undefined ? {} : { lockDurationMs: options.lockDurationMs }),
      onError,
    });
    const rateLimiter = createRedisRateLimiter({
      client: connection,
      prefix,
      ...(options.now ? { now: options.now } : {}),
      onError,
    });
    return {
      deps: { queue, bus, rateLimiter },
      async close() {
        await bus.close?.();
        subscriber.disconnect();
        await connection.quit().catch(() => connection.disconnect());
      },
    };
  } catch (error) {
    subscriber.disconnect();
    connection.disconnect();
    throw error;
  }
}
