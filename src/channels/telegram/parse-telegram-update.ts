/**
 * Turns one Telegram webhook `Update` into Parley's InboundMessage. Never throws: what Parley cannot
 * act on comes back as `ignored` with a reason, so the route can still answer 200 and Telegram stops
 * retrying.
 *
 * Choices: edits, channel posts and update kinds without a user message (chat member changes,
 * reactions, polls, ...) are `ignored` — replaying an edit would re-drive a flow that already moved
 * on. A user's message of a type we do not model (poll, dice, game, ...) is kind "unsupported" with
 * the original in `raw`, so a flow can answer "I can't read that".
 */
import type { InboundMessage } from "../../core/channel.ts";
import type { InboundMedia } from "../../core/messages.ts";
import { decodeCallbackData } from "./callback-data.ts";
import {
  type TelegramCallbackQuery,
  type TelegramMessage,
  type TelegramUser,
  telegramCallbackQuerySchema,
  telegramMessageSchema,
} from "./telegram-update-schema.ts";

export interface ParsedTelegramUpdate {
  updateId: number | null;
  message?: InboundMessage;
  /** Present for every callback query: the route must answer it (answerCallbackQuery) even when ignored. */
  callback?: { callbackQueryId: string };
  ignored?: string;
}

const IGNORED_KINDS = ["edited_message", "channel_post", "edited_channel_post", "edited_business_message"];

/**
 * Parses a webhook body. `receivedAt` stamps callback queries, which carry no date of their own.
 * @example parseTelegramUpdate(await request.json()).message?.text
 */
export function parseTelegramUpdate(body: unknown, receivedAt: number = Date.now()): ParsedTelegramUpdate {
  if (!isRecord(body) || typeof body.update_id !== "number" || !Number.isInteger(body.update_id)) {
    return { updateId: null, ignored: "not a Telegram update (no integer update_id)" };
  }
  const updateId = body.update_id;
  if (body.message !== undefined) return parseMessageUpdate(updateId, body.message);
  if (body.callback_query !== undefined)
    return parseCallbackUpdate(updateId, body.callback_query, receivedAt);
  const kind = Object.keys(body).find((key) => key !== "update_id") ?? "empty";
  const reason = IGNORED_KINDS.includes(kind) ? `${kind} is not handled` : `unsupported update kind: ${kind}`;
  return { updateId, ignored: reason };
}

function parseMessageUpdate(updateId: number, rawMessage: unknown): ParsedTelegramUpdate {
  const parsed = telegramMessageSchema.safeParse(rawMessage);
  if (!parsed.success) return { updateId, ignored: "malformed message" };
  const message = parsed.data;
  const inbound: InboundMessage = {
    externalMessageId: `tg:${updateId}`,
    contact: describeContact(message.chat.id, message.from ?? message.chat),
    timestamp: message.date * 1000,
    ...describeContent(message, rawMessage),
  };
  if (message.reply_to_message) {
    inbound.replyToMessageId = `${message.chat.id}:${message.reply_to_message.message_id}`;
  }
  return { updateId, message: inbound };
}

function parseCallbackUpdate(updateId: number, rawQuery: unknown, receivedAt: number): ParsedTelegramUpdate {
  const parsed = telegramCallbackQuerySchema.safeParse(rawQuery);
  if (!parsed.success) {
    const id = isRecord(rawQuery) && typeof rawQuery.id === "string" ? rawQuery.id : undefined;
    return {
      updateId,
      ignored: "malformed callback_query",
      ...(id ? { callback: { callbackQueryId: id } } : {}),
    };
  }
  const query = parsed.data;
  const callback = { callbackQueryId: query.id };
  if (query.data === undefined) return { updateId, callback, ignored: "callback_query without data" };
  const chatId = query.message?.chat.id ?? query.from.id;
  const inbound: InboundMessage = {
    externalMessageId: `tg:${updateId}`,
    contact: describeContact(chatId, query.from),
    timestamp: receivedAt,
    kind: "button",
    ...describeChoice(query, query.data),
  };
  if (query.message) inbound.replyToMessageId = `${chatId}:${query.message.message_id}`;
  return { updateId, callback, message: inbound };
}

/** The pressed button's title, looked up in the keyboard of the message that held it. */
function describeChoice(query: TelegramCallbackQuery, data: string): { text: string; optionId?: string } {
  const buttons = (query.message?.reply_markup?.inline_keyboard ?? []).flat();
  const decoded = decodeCallbackData(data);
  if ("optionId" in decoded) {
    const title = buttons.find((button) => button.callback_data === data)?.text;
    return { text: title ?? data, optionId: decoded.optionId };
  }
  return { text: buttons[decoded.position - 1]?.text ?? "" };
}

type Content = Pick<InboundMessage, "kind" | "text" | "media" | "raw">;

function describeContent(message: TelegramMessage, rawMessage: unknown): Content {
  if (message.text !== undefined) return { kind: "text", text: normaliseCommand(message.text) };
  const media = describeMedia(message);
  if (media) return { kind: "media", text: message.caption ?? "", media };
  if (message.location) return { kind: "location", text: "", raw: message.location };
  if (message.contact) return { kind: "contacts", text: "", raw: message.contact };
  return { kind: "unsupported", text: message.caption ?? "", raw: rawMessage };
}

function describeMedia(message: TelegramMessage): InboundMedia | undefined {
  const caption = message.caption === undefined ? {} : { caption: message.caption };
  const largestPhoto = message.photo?.at(-1);
  if (largestPhoto) return { mediaType: "image", providerMediaId: largestPhoto.file_id, ...caption };
  const candidates = [
    ["document", message.document],
    ["video", message.video ?? message.video_note],
    ["audio", message.audio ?? message.voice],
    ["sticker", message.sticker],
  ] as const;
  for (const [mediaType, file] of candidates) {
    if (!file) continue;
    return {
      mediaType,
      providerMediaId: file.file_id,
      ...(file.mime_type ? { mimeType: file.mime_type } : {}),
      ...(file.file_name ? { filename: file.file_name } : {}),
      ...caption,
    };
  }
  return undefined;
}

/** "/start@ShopBot spring" → "/start spring": in groups Telegram appends the bot's name to commands. */
function normaliseCommand(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, "$1");
}

function describeContact(chatId: number, person: TelegramUser): InboundMessage["contact"] {
  const name = [person.first_name, person.last_name].filter(Boolean).join(" ");
  return {
    externalId: String(chatId),
    ...(name ? { name } : {}),
    ...(person.username ? { username: person.username } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
