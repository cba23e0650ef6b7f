/**
 * The web simulator channel: the builder's test panel chats as a contact and sees what a WhatsApp
 * user would see. Messages live in memory only; the durable outbox belongs to the runtime.
 */
import type { ChannelSender, InboundMessage, SendOutcome } from "../../core/channel.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { renderWebMessage, type WebRendered } from "./render-web-message.ts";

export interface WebMessage {
  id: string;
  at: number;
  message: OutboundMessage;
  rendered: WebRendered;
}

export type WebListener = (message: WebMessage) => void;

export interface WebChannel extends ChannelSender {
  readonly kind: "web";
  readonly enforcesWindow: false;
  /** Messages sent to the contact, oldest first; only those after `sinceId` when it is still kept. */
  history(contactId: string, sinceId?: string): WebMessage[];
  /** Calls `listener` for every later message to the contact; returns the unsubscribe function. */
  subscribe(contactId: string, listener: WebListener): () => void;
  clear(contactId: string): void;
}

export interface WebChannelOptions {
  /** Messages kept per contact; older ones are dropped first. */
  maxHistory?: number;
  now?: () => number;
}

/** Creates an in-memory web simulator channel. */
export function createWebChannel(options: WebChannelOptions = {}): WebChannel {
  const maxHistory = options.maxHistory ?? 500;
  const now = options.now ?? Date.now;
  const histories = new Map<string, WebMessage[]>();
  const listeners = new Map<string, Set<WebListener>>();
  let sequence = 0;

  return {
    kind: "web",
    enforcesWindow: false,

    async send(recipientExternalId: string, message: OutboundMessage): Promise<SendOutcome> {
      sequence += 1;
      const entry: WebMessage = {
        id: `web-${sequence}`,
        at: now(),
        message,
        rendered: renderWebMessage(message),
      };
      const history = histories.get(recipientExternalId) ?? [];
      history.push(entry);
      if (history.length > maxHistory) history.splice(0, history.length - maxHistory);
      histories.set(recipientExternalId, history);
      notifyListeners(listeners.get(recipientExternalId), entry);
      return { ok: true, providerMessageId: entry.id };
    },

    history(contactId: string, sinceId?: string): WebMessage[] {
      const history = histories.get(contactId) ?? [];
      if (sinceId === undefined) return [...history];
      const index = history.findIndex((entry) => entry.id === sinceId);
      return history.slice(index + 1);
    },

    subscribe(contactId: string, listener: WebListener): () => void {
      const set = listeners.get(contactId) ?? new Set<WebListener>();
      set.add(listener);
      listeners.set(contactId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(contactId) === set) listeners.delete(contactId);
      };
    },

    clear(contactId: string): void {
      histories.delete(contactId);
    },

    async close(): Promise<void> {
      histories.clear();
      listeners.clear();
    },
  };
}

/**
 * Builds the inbound message for what the author typed or tapped in the test panel.
 * @example buildWebInbound("tester-1", { optionId: "yes", text: "Yes" }, Date.now(), "m-1")
 */
export function buildWebInbound(
  contactId: string,
  input: { text?: string; optionId?: string },
  now: number,
  id: string,
): InboundMessage {
  const inbound: InboundMessage = {
    externalMessageId: id,
    contact: { externalId: contactId },
    timestamp: now,
    kind: input.optionId === undefined ? "text" : "button",
    text: input.text ?? "",
  };
  if (input.optionId !== undefined) inbound.optionId = input.optionId;
  return inbound;
}

/** A throwing listener (a closed socket) must not stop the send or the other listeners. */
function notifyListeners(set: Set<WebListener> | undefined, entry: WebMessage): void {
  for (const listener of set ?? []) {
    try {
      listener(entry);
    } catch {
      // The live view re-syncs from history(); one broken subscriber is not the sender's failure.
    }
  }
}
