/**
 * A small memo for lookups that run on every webhook (the channel a POST is addressed to): a found value
 * is reused for `ttlMs`, so a changed or deleted channel is seen within that time, never later.
 */

export interface ExpiringCache<V> {
  /**
   * The value cached for `key`, or `load(key)` (also shared by concurrent callers while it runs).
   * Only non-null values are kept, so something that appears is found at once; failures are not kept.
   */
  get(key: string, load: (key: string) => Promise<V | null>): Promise<V | null>;
}

export interface ExpiringCacheOptions {
  ttlMs: number;
  /** At most this many keys; the oldest go first. Default 1,000. */
  maxEntries?: number;
  /** Milliseconds clock; tests pass their own. */
  now?: () => number;
}

/**
 * Creates a cache whose entries expire `ttlMs` after they were loaded.
 * @example const channels = createExpiringCache<ChannelRecord>({ ttlMs: 2_000 }); await channels.get(id, find);
 */
export function createExpiringCache<V>(options: ExpiringCacheOptions): ExpiringCache<V> {
  const now = options.now ?? (() => Date.now());
  const maxEntries = options.maxEntries ?? 1_000;
  const entries = new Map<string, { expiresAt: number; value: Promise<V | null> }>();

  const loadInto = (key: string, load: (key: string) => Promise<V | null>): Promise<V | null> => {
    const value = load(key);
    const entry = { expiresAt: now() + options.ttlMs, value };
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    const forget = () => {
      if (entries.get(key) === entry) entries.delete(key);
    };
    value.then((found) => (found === null ? forget() : undefined), forget);
    return value;
  };

  return {
    get(key, load) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) return entry.value;
      return loadInto(key, load);
    },
  };
}
