/**
 * Channel-independent messages the engine emits. Each channel adapter renders them within its
 * platform's limits (list paging, title cuts); the engine never knows which platform it talks to.
 */

export interface ButtonChoice {
  id: string;
  title: string;
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type OutboundMessage =
  | { type: "text"; text: string }
  | { type: "buttons"; body: string; header?: string; footer?: string; buttons: ButtonChoice[] }
  | {
      type: "list";
      body: string;
      header?: string;
      footer?: string;
      buttonText: string;
      rows: ListRow[];
      /** Page to show when the rows exceed the channel's limit (0-based; see MORE_OPTIONS_PREFIX). */
      page?: number;
    }
  | {
      type: "media";
      mediaType: "image" | "video" | "audio" | "document" | "sticker";
      url: string;
      caption?: string;
      filename?: string;
    }
  | {
      type: "template";
      name: string;
      language: string;
      params: string[];
      headerParams?: string[];
      /** Quick-reply button titles; a reply carries the title (or the payload `button-{index}`). */
      buttons?: string[];
    };

export type OutboundMessageType = OutboundMessage["type"];

/**
 * A channel that pages a long list adds a row whose id is this prefix + the next page number; the
 * engine answers such a reply by sending that page of the same question.
 */
export const MORE_OPTIONS_PREFIX = "__more__:";

/** True for messages WhatsApp accepts only inside the 24 h customer-service window. */
export function isFreeForm(message: OutboundMessage): boolean {
  return message.type !== "template";
}

/** A media item received from a contact, after the channel has fetched it. */
export interface InboundMedia {
  mediaType: string;
  url?: string;
  mimeType?: string;
  caption?: string;
  filename?: string;
  providerMediaId?: string;
}
