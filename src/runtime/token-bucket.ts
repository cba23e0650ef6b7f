/**
 * A token bucket per channel: sends wait for a token (default 80 msg/s per WhatsApp number), and a
 * throttling answer from the platform pauses the whole bucket for the time it asks.
 */

export interface TokenBucket {
  /** Resolves when a token is available, taking it. */
  take(): Promise<void>;
  /** No token is handed out before `until` (ms since epoch). */
  pauseUntil(until: number): void;
}

export function createTokenBucket(ratePerSecond: number, now: () => number = Date.now): TokenBucket {
  const capacity = Math.max(1, ratePerSecond);
  let tokens = capacity;
  let refilledAt = now();
  let pausedUntil = 0;
  let chain: Promise<void> = Promise.resolve();

  const refill = () => {
    const at = now();
    tokens = Math.min(capacity, tokens + ((at - refilledAt) / 1000) * ratePerSecond);
    refilledAt = at;
  };

  const takeOne = async (): Promise<void> => {
    for (;;) {
      const at = now();
      if (at < pausedUntil) {
        await sleep(pausedUntil - at);
        continue;
      }
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - tokens) / ratePerSecond) * 1000));
    }
  };

  return {
    take() {
      // One waiter at a time keeps the order fair and the arithmetic simple.
      const next = chain.then(takeOne);
      chain = next.catch(() => undefined);
      return next;
    },
    pauseUntil(until) {
      pausedUntil = Math.max(pausedUntil, until);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
