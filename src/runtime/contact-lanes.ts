/**
 * Per-contact lanes: work for one contact runs strictly one at a time, different contacts run in
 * parallel up to a bound. `kick(key)` asks for a drain; a kick during a drain makes it run again.
 */

export interface ContactLanes {
  /** Requests a drain of `key`'s work; coalesced with a drain already running or queued. */
  kick(key: string): void;
  /** Resolves when no lane is running or waiting. */
  idle(): Promise<void>;
  /** Number of lanes running or waiting for a slot. */
  readonly depth: number;
}

export interface ContactLanesOptions {
  concurrency: number;
  drain: (key: string) => Promise<void>;
  onError: (key: string, error: unknown) => void;
}

export function createContactLanes(options: ContactLanesOptions): ContactLanes {
  /** Keys running now → whether another drain was requested meanwhile. */
  const running = new Map<string, boolean>();
  const waiting: string[] = [];
  const queued = new Set<string>();
  let idleWaiters: Array<() => void> = [];

  const settleIdle = () => {
    if (running.size > 0 || waiting.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const startNext = () => {
    while (running.size < options.concurrency && waiting.length > 0) {
      const key = waiting.shift() as string;
      queued.delete(key);
      run(key);
    }
    settleIdle();
  };

  const run = (key: string) => {
    running.set(key, false);
    options
      .drain(key)
      .catch((error: unknown) => options.onError(key, error))
      .finally(() => {
        const again = running.get(key) === true;
        running.delete(key);
        if (again && !queued.has(key)) {
          queued.add(key);
          waiting.push(key);
        }
        startNext();
      });
  };

  return {
    kick(key) {
      if (running.has(key)) {
        running.set(key, true);
        return;
      }
      if (queued.has(key)) return;
      queued.add(key);
      waiting.push(key);
      startNext();
    },
    idle() {
      if (running.size === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get depth() {
      return running.size + waiting.length;
    },
  };
}
