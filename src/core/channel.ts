/**
 * The channel port: what the runtime needs from WhatsApp, Telegram or the web simulator, and the
 * normalised shapes adapters turn platform payloads into. Adapters import this, never the store.
 */
import type { InboundMedia, OutboundMessage } from "./messages.ts";

export const CHANNEL_KINDS = ["whatsapp", "telegram", "web"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type InboundKind =
  | "text"
  | "button"
  | "media"
  | "location"
  | "contacts"
  | "reaction"
  | "order"
  | "system"
  | "unsupported";

/** One inbound message, platform-independent. `text` is what the engine sees ("" when none). */
export interface InboundMessage {
  externalMessageId: string;
  contact: { externalId: string; name?: string; phone?: string; username?: string };
  /** Milliseconds since the epoch, as stated by the platform. */
  timestamp: number;
  kind: InboundKind;
  text: string;
  /** Id of the chosen button or list row (or a template button's payload). */
  optionId?: string;
  media?: InboundMedia;
  replyToMessageId?: string;
  referral?: unknown;
  /** The platform's own object, kept for unsupported and unknown types. */
  raw?: unknown;
}

export const DELIVERY_STATUSES = ["queued", "sending", "sent", "delivered", "read", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery receipt from the platform (WhatsApp `statuses[]`). */
export interface StatusUpdate {
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  timestamp: number;
  recipientExternalId?: string;
  errorCode?: string;
  errorMessage?: string;
}

export type SendOutcome =
  | { ok: true; providerMessageId: string }
  | {
      ok: false;
      /** Retry later (5xx, throttling) or never (bad request, window closed, blocked user). */
      retryable: boolean;
      /** Parley's stable code, e.g. WA_WINDOW_CLOSED, CHANNEL_RATE_LIMITED, CHANNEL_SEND_FAILED. */
      code: string;
      /** The platform's own error code, e.g. "131047". */
      providerCode?: string;
      message: string;
      /** Wait at least this long before the next try. */
      retryAfterMs?: number;
      /** What to slow down: this message, everything to this contact, or the whole channel. */
      scope?: "message" | "contact" | "channel";
    };

/** Sends rendered messages to one platform account (a WhatsApp number, a Telegram bot, ...). */
export interface ChannelSender {
  readonly kind: ChannelKind;
  /** True when free-form messages are allowed only within 24 h of the contact's last message. */
  readonly enforcesWindow: boolean;
  send(recipientExternalId: string, message: OutboundMessage): Promise<SendOutcome>;
  /** Fetches an inbound media file by the platform's media id (WhatsApp media, Telegram file). */
  downloadMedia?(providerMediaId: string): Promise<{ bytes: Buffer; mimeType: string; fileName?: string }>;
  close?(): Promise<void>;
}
