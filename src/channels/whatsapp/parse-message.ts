/**
 * Normalises the content of one WhatsApp inbound message (`value.messages[i]`, fact sheet §4) into
 * the channel-independent fields of InboundMessage. Unknown types are kept raw as "unsupported".
 */
import type { InboundMessage } from "../../core/channel.ts";
import type { InboundMedia } from "../../core/messages.ts";
import { isRecord, readString, readStringOrNumber } from "./json-read.ts";

/** The part of an InboundMessage that depends on the message type. */
export type MessageContent = Pick<InboundMessage, "kind" | "text" | "optionId" | "media" | "raw"> & {
  /** Set for reactions: the message reacted to. */
  targetMessageId?: string;
};

const MEDIA_TYPES = new Set(["image", "video", "audio", "document", "sticker"]);

/** Reads the typed content of one message object; never throws. */
export function readMessageContent(message: Record<string, unknown>): MessageContent {
  const type = readString(message.type) ?? "";
  const payload = message[type];
  if (type === "text" && isRecord(payload)) return { kind: "text", text: readString(payload.body) ?? "" };
  if (type === "interactive" && isRecord(payload)) return readInteractive(payload, message);
  if (type === "button" && isRecord(payload)) return readTemplateButton(payload, message);
  if (MEDIA_TYPES.has(type) && isRecord(payload)) return readMedia(type, payload);
  if (type === "location" && isRecord(payload)) return readLocation(payload);
  if (type === "contacts" && Array.isArray(payload)) return readContacts(payload);
  if (type === "reaction" && isRecord(payload)) return readReaction(payload);
  if (type === "order" && isRecord(payload))
    return { kind: "order", text: readString(payload.text) ?? "", raw: payload };
  if (type === "system" && isRecord(payload))
    return { kind: "system", text: readString(payload.body) ?? "", raw: payload };
  return { kind: "unsupported", text: "", raw: message };
}

function readInteractive(
  interactive: Record<string, unknown>,
  message: Record<string, unknown>,
): MessageContent {
  const subtype = readString(interactive.type);
  const reply = subtype === "button_reply" || subtype === "list_reply" ? interactive[subtype] : undefined;
  if (!isRecord(reply)) return { kind: "unsupported", text: "", raw: message };
  const optionId = readStringOrNumber(reply.id);
  const title = readString(reply.title) ?? "";
  return optionId === undefined ? { kind: "button", text: title } : { kind: "button", text: title, optionId };
}

function readTemplateButton(
  button: Record<string, unknown>,
  message: Record<string, unknown>,
): MessageContent {
  const text = readString(button.text);
  // Without a payload set at send time, Meta echoes the label in `payload`, so either identifies the choice.
  const optionId = readString(button.payload) ?? text;
  if (optionId === undefined) return { kind: "unsupported", text: "", raw: message };
  return { kind: "button", text: text ?? optionId, optionId };
}

function readMedia(mediaType: string, payload: Record<string, unknown>): MessageContent {
  const media: InboundMedia = { mediaType };
  const id = readStringOrNumber(payload.id);
  const mimeType = readString(payload.mime_type);
  const caption = readString(payload.caption);
  const filename = readString(payload.filename);
  if (id !== undefined) media.providerMediaId = id;
  if (mimeType !== undefined) media.mimeType = mimeType;
  if (caption !== undefined) media.caption = caption;
  if (filename !== undefined) media.filename = filename;
  return { kind: "media", text: caption ?? "", media };
}

function readLocation(location: Record<string, unknown>): MessageContent {
  const latitude = readCoordinate(location.latitude);
  const longitude = readCoordinate(location.longitude);
  const text = latitude !== undefined && longitude !== undefined ? `${latitude},${longitude}` : "";
  return { kind: "location", text, raw: location };
}

function readContacts(cards: unknown[]): MessageContent {
  const names = cards.flatMap((card) => {
    const name = isRecord(card) && isRecord(card.name) ? readString(card.name.formatted_name) : undefined;
    return name ? [name] : [];
  });
  return { kind: "contacts", text: names.join(", "), raw: cards };
}

function readReaction(reaction: Record<string, unknown>): MessageContent {
  // A removed reaction arrives without `emoji`; it is still a reaction, with empty text.
  const content: MessageContent = { kind: "reaction", text: readString(reaction.emoji) ?? "", raw: reaction };
  const target = readString(reaction.message_id);
  if (target !== undefined) content.targetMessageId = target;
  return content;
}

function readCoordinate(value: unknown): number | undefined {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}
