/**
 * Time-ordered ids for rows inserted on the hot path (executions, timers). A random UUID lands in a
 * random leaf of every index keyed by it, so each insert dirties another page for the commit to
 * write; an id that starts with the time (UUID version 7, RFC 9562) appends next to its neighbours.
 */
import { randomUUID } from "node:crypto";

/** A UUIDv7: 48 bits of Unix milliseconds, then the random bits of a v4 UUID. */
export function timeOrderedId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
