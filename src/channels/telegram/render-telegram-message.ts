/**
 * Renders a channel-independent message as Telegram Bot API calls, within Telegram's limits: text
 * ≤ 4096 (split into several messages), captions ≤ 1024, callback_data ≤ 64 bytes.
 *
 * Choices: buttons and list rows become an inline keyboard, one button per row (Telegram has no list
 * widget, and row descriptions have no place on a button, so they are dropped). Long lists are paged
 * like WhatsApp's. Templates have no Telegram equivalent (a bot may write to anyone who started it),
 * so a template is sent as text — its name and parameters — with its quick replies as buttons whose
 * data is `button-{index}`, the payload a WhatsApp template reply carries. Text is sent without
 * parse_mode so user content needs no escaping.
 */
import type { OutboundMessage } from "../../core/messages.ts";
import { selectListPage } from "../list-pages.ts";
import { splitText } from "../split-text.ts";
import { describeTemplate } from "../web/render-web-message.ts";
import { encodeCallbackData } from "./callback-data.ts";

export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

export type TelegramMethod = "sendMessage" | "sendPhoto" | "sendDocument" | "sendVideo" | "sendAudio";

export interface TelegramCall {
  method: TelegramMethod;
  body: Record<string, unknown>;
}

interface KeyboardChoice {
  title: string;
  /** Sent as callback_data when it fits in 64 bytes; otherwise the button's position is sent. */
  id: string;
}

/** Stickers go out as photos: the TelegramCall contract has no sendSticker, and Telegram shows a webp photo. */
const MEDIA_METHODS = {
  image: ["sendPhoto", "photo"],
  sticker: ["sendPhoto", "photo"],
  video: ["sendVideo", "video"],
  audio: ["sendAudio", "audio"],
  document: ["sendDocument", "document"],
} as const;

/**
 * The calls that deliver `message` to `chatId`, in order; a keyboard rides on the last text part.
 * @example renderTelegramMessage("42", { type: "text", text: "Hi" }) // [{ method: "sendMessage", ... }]
 */
export function renderTelegramMessage(chatId: string, message: OutboundMessage): TelegramCall[] {
  switch (message.type) {
    case "text":
      return renderText(chatId, message.text, []);
    case "buttons":
      return renderText(chatId, frameText(message.header, message.body, message.footer), message.buttons);
    case "list": {
      const page = selectListPage(message.rows, message.page ?? 0);
      const body = frameText(message.header, message.body, message.footer) || message.buttonText;
      return renderText(chatId, body, page.rows);
    }
    case "media":
      return renderMedia(chatId, message);
    case "template": {
      const choices = (message.buttons ?? []).map((title, index) => ({ id: `button-${index}`, title }));
      return renderText(chatId, describeTemplate(message), choices);
    }
    default:
      return assertNever(message);
  }
}

function renderText(chatId: string, text: string, choices: readonly KeyboardChoice[]): TelegramCall[] {
  // Telegram refuses an empty text; a keyboard still needs something to hang on.
  const visible = text.trim().length === 0 && choices.length > 0 ? "Choose an option:" : text;
  const split = splitText(visible, TELEGRAM_TEXT_LIMIT);
  // An empty text still goes out: Telegram's own refusal then becomes a permanent send failure.
  const parts = split.length > 0 ? split : [visible];
  return parts.map((part, index) => {
    const body: Record<string, unknown> = { chat_id: chatId, text: part };
    if (index === parts.length - 1 && choices.length > 0) body.reply_markup = buildKeyboard(choices);
    return { method: "sendMessage", body };
  });
}

function renderMedia(chatId: string, message: Extract<OutboundMessage, { type: "media" }>): TelegramCall[] {
  const [method, field] = MEDIA_METHODS[message.mediaType];
  const body: Record<string, unknown> = { chat_id: chatId, [field]: message.url };
  const caption = message.caption ?? "";
  if (caption.length > 0 && caption.length <= TELEGRAM_CAPTION_LIMIT) body.caption = caption;
  const calls: TelegramCall[] = [{ method, body }];
  // A caption too long for the media goes out as text right after it rather than being cut.
  if (caption.length > TELEGRAM_CAPTION_LIMIT) calls.push(...renderText(chatId, caption, []));
  return calls;
}

/** One button per row, so long titles stay readable on a phone. */
function buildKeyboard(choices: readonly KeyboardChoice[]): { inline_keyboard: unknown[][] } {
  return {
    inline_keyboard: choices.map((choice, index) => [
      { text: choice.title, callback_data: encodeCallbackData(choice.id, index + 1) },
    ]),
  };
}

function frameText(header: string | undefined, body: string, footer: string | undefined): string {
  return [header, body, footer].filter((part) => part !== undefined && part.length > 0).join("\n\n");
}

function assertNever(value: never): never {
  throw new Error(`Unhandled message ${JSON.stringify(value)}`);
}
