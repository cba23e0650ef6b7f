/** The Telegram channel's public API: verify and parse webhooks, render and send messages. */

export { splitText } from "../split-text.ts";
export { decodeCallbackData, encodeCallbackData, MAX_CALLBACK_DATA_BYTES } from "./callback-data.ts";
export type { TelegramFailure } from "./classify-telegram-error.ts";
export { classifyTelegramError } from "./classify-telegram-error.ts";
export type { ParsedTelegramUpdate } from "./parse-telegram-update.ts";
export { parseTelegramUpdate } from "./parse-telegram-update.ts";
export type { TelegramCall, TelegramMethod } from "./render-telegram-message.ts";
export {
  renderTelegramMessage,
  TELEGRAM_CAPTION_LIMIT,
  TELEGRAM_TEXT_LIMIT,
} from "./render-telegram-message.ts";
export type { TelegramSender, TelegramSenderConfig } from "./telegram-sender.ts";
export { createTelegramSender } from "./telegram-sender.ts";
export { TELEGRAM_SECRET_HEADER, verifyTelegramSecret } from "./verify-telegram-secret.ts";
