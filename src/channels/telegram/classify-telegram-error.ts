/**
 * Maps a failed Bot API call to a SendOutcome: retry 429 (after `retry_after`) and 5xx or network
 * failures; never retry 400 (the same request fails again) or 403 (the user blocked the bot).
 */
import { z } from "zod";
import type { SendOutcome } from "../../core/channel.ts";

export type TelegramFailure = Extract<SendOutcome, { ok: false }>;

/** Status used for failures with no HTTP answer at all (refused connection, timeout). */
export const NETWORK_FAILURE_STATUS = 0;

const errorBodySchema = z.object({
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z
    .object({ retry_after: z.number().optional(), migrate_to_chat_id: z.number().optional() })
    .optional()
    .catch(undefined),
});

/**
 * Classifies an HTTP status and the body Telegram sent with it (any shape; a string is read as the
 * description).
 * @example classifyTelegramError(429, { ok: false, error_code: 429, parameters: { retry_after: 3 } })
 */
export function classifyTelegramError(status: number, body: unknown): TelegramFailure {
  const parsed = errorBodySchema.safeParse(body);
  const error = parsed.success ? parsed.data : {};
  const providerCode = String(error.error_code ?? status);
  const message = error.description ?? (typeof body === "string" && body ? body : describeStatus(status));
  if (status === 429 || error.error_code === 429) {
    const retryAfter = error.parameters?.retry_after;
    return {
      ok: false,
      retryable: true,
      code: "CHANNEL_RATE_LIMITED",
      providerCode,
      message,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }),
      scope: "channel",
    };
  }
  if (status === NETWORK_FAILURE_STATUS || status >= 500) {
    return {
      ok: false,
      retryable: true,
      code: "CHANNEL_UNAVAILABLE",
      providerCode,
      message,
      scope: "channel",
    };
  }
  const migrateTo = error.parameters?.migrate_to_chat_id;
  const detail = migrateTo === undefined ? message : `${message} (chat migrated to ${migrateTo})`;
  return {
    ok: false,
    retryable: false,
    code: "CHANNEL_SEND_FAILED",
    providerCode,
    message: detail,
    scope: scopeOf(status),
  };
}

/** 403: this chat refuses the bot; 401/404: the token is wrong, so nothing on this bot will work. */
function scopeOf(status: number): "message" | "contact" | "channel" {
  if (status === 403) return "contact";
  if (status === 401 || status === 404) return "channel";
  return "message";
}

function describeStatus(status: number): string {
  return status === NETWORK_FAILURE_STATUS
    ? "Telegram could not be reached"
    : `Telegram answered HTTP ${status}`;
}
