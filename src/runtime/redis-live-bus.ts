/**
 * Live events over Redis pub/sub, so a browser connected to one process sees executions stepped by
 * another. Every process publishes to one channel and hears it back (its own events included), so a
 * listener gets each event once whichever process produced it. Delivery is best-effort, like the
 * in-process bus: live events are a view, the store is the record.
 */
import type { Redis } from "ioredis";
import type { LiveBus, LiveEvent, LiveListener } from "./live-bus.ts";

export interface RedisLiveBusOptions {
  /** Publishes; may be shared with other users of the connection. */
  publisher: Redis;
  /** Subscribes: a connection in subscriber mode can do nothing else, so it must be this bus's own. */
  subscriber: Redis;
  channel: string;
  onError?: (error: unknown) => void;
}

/** Subscribes before resolving, so events published after it returns are heard. */
export async function createRedisLiveBus(options: RedisLiveBusOptions): Promise<LiveBus> {
  const { publisher, subscriber, channel } = options;
  const listeners = new Set<LiveListener>();
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    let event: LiveEvent;
    try {
      // Parsing boundary: only Parley processes publish on this channel.
      event = JSON.parse(text) as LiveEvent;
    } catch (error) {
      options.onError?.(error);
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A broken subscriber must never break the others.
      }
    }
  });
  await subscriber.subscribe(channel);
  return {
    publish(event) {
      publisher.publish(channel, JSON.stringify(event)).catch((error: unknown) => options.onError?.(error));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
