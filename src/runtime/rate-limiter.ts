/**
 * The send-rate port: a token per send, per channel (WhatsApp allows ~80 msg/s per number). The local
 * implementation keeps one token bucket per channel in this process; redis-rate-limiter.ts shares
 * one bucket per channel between every worker process.
 */
import { createTokenBucket, type TokenBucket } from "./token-bucket.ts";

export interface RateLimiter {
  /** Resolves when `key` (a channel id) may send one more message, taking the token. */
  take(key: string, ratePerSecond: number): Promise<void>;
  /** No token for `key` before `until` (ms since epoch): the platform asked the channel to slow down. */
  pauseUntil(key: string, until: number): void;
}

/** One in-process token bucket per key (embedded mode). */
export function createLocalRateLimiter(now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, TokenBucket>();
  /** Pauses asked for before the key's first send, applied when its bucket is made. */
  const earlyPauses = new Map<string, number>();
  const bucketFor = (key: string, ratePerSecond: number) => {
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = createTokenBucket(ratePerSecond, now);
      bucket.pauseUntil(earlyPauses.get(key) ?? 0);
      earlyPauses.delete(key);
      buckets.set(key, bucket);
    }
    return bucket;
  };
  return {
    take: (key, ratePerSecond) => bucketFor(key, ratePerSecond).take(),
    pauseUntil(key, until) {
      const bucket = buckets.get(key);
      if (bucket) bucket.pauseUntil(until);
      else earlyPauses.set(key, Math.max(until, earlyPauses.get(key) ?? 0));
    },
  };
}
