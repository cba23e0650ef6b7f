/**
 * Everything that happens to a contact goes through its inbox, in arrival order: messages, fired
 * timers, HTTP results, API starts, hand-backs. One durable, ordered lane per contact is what makes
 * "one step at a time, in order, exactly once" hold for every kind of event.
 */
import type { InboundMessage } from "../core/channel.ts";
import type { TimerKind, TriggerInfo } from "../core/execution.ts";

export type InboxEvent =
  | { type: "message"; message: InboundMessage }
  | { type: "timer"; timerId: string; executionId: string; kind: TimerKind }
  | {
      type: "httpResult";
      executionId: string;
      requestId: string;
      ok: boolean;
      status?: number;
      body?: unknown;
      error?: string;
    }
  /** `versionId` pins a version (the simulator's draft snapshot) instead of the published one. */
  | { type: "start"; flowId: string; trigger: TriggerInfo; versionId?: string }
  | { type: "handback" };

/** The inbox dedupe key of a runtime-made event: one row per timer, per HTTP call, per API start. */
export function eventKey(event: InboxEvent, unique: string): string {
  switch (event.type) {
    case "message":
      return event.message.externalMessageId;
    case "timer":
      return `timer:${event.timerId}`;
    case "httpResult":
      return `http:${event.requestId}`;
    case "start":
      return `start:${unique}`;
    case "handback":
      return `handback:${unique}`;
  }
}

/** Reads a stored payload; rows written before events existed are plain inbound messages. */
export function readInboxEvent(payload: unknown): InboxEvent {
  if (payload !== null && typeof payload === "object" && "type" in payload) {
    // Written by this module's callers only; the shape is ours.
    return payload as InboxEvent;
  }
  throw new Error("Unreadable inbox payload");
}
