/**
 * A token bucket per channel kept in Redis, so the channel's rate holds however many worker processes
 * send. One Lua script refills and takes atomically on Redis' own clock (no skew between hosts);
 * a throttling answer pauses the bucket for every process.
 */
import type { Redis } from "ioredis";
import type { RateLimiter } from "./rate-limiter.ts";

/** Returns 0 when a token was taken, else the ms to wait before asking again. */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return paused - now end
local rate = tonumber(ARGV[1])
local capacity = math.max(1, rate)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], 60000)
return wait`;

/** Sets the pause to now + ARGV[1] ms unless a longer pause is already set. */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilAt = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilAt > current then redis.call('SET', KEYS[1], untilAt, 'PX', tonumber(ARGV[1]) + 1000) end
return 0`;

export interface RedisRateLimiterOptions {
  client: Redis;
  /** Key prefix shared by the processes of one installation. */
  prefix: string;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { client, prefix } = options;
  const now = options.now ?? Date.now;
  return {
    async take(key, ratePerSecond) {
      for (;;) {
        const wait = Number(
          await client.eval(TAKE, 2, `${prefix}:rate:${key}`, `${prefix}:rate-pause:${key}`, ratePerSecond),
        );
        if (!(wait > 0)) return;
        await sleep(wait);
      }
    },
    pauseUntil(key, until) {
      const ms = Math.round(until - now());
      if (ms <= 0) return;
      client
        .eval(PAUSE, 1, `${prefix}:rate-pause:${key}`, ms)
        .catch((error: unknown) => options.onError?.(error));
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
