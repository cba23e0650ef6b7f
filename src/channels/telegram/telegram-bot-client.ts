/**
 * A minimal Bot API client over a keep-alive undici Pool: POST `{apiUrl}/bot{token}/{method}` with a
 * JSON body. It never throws; network failures come back with status 0 so callers classify them.
 */
import { Pool } from "undici";
import { NETWORK_FAILURE_STATUS } from "./classify-telegram-error.ts";

export interface BotApiReply {
  /** HTTP status, or 0 when no answer arrived (refused, reset, timed out). */
  status: number;
  /** Parsed JSON, the raw text when it is not JSON, or the network error's message. */
  body: unknown;
}

export interface TelegramBotClient {
  call(method: string, params: Record<string, unknown>): Promise<BotApiReply>;
  close(): Promise<void>;
}

export interface TelegramBotClientConfig {
  apiUrl: string;
  botToken: string;
  timeoutMs?: number;
}

/** Opens a pooled client; connections are reused across calls until close(). */
export function createTelegramBotClient(config: TelegramBotClientConfig): TelegramBotClient {
  const base = new URL(config.apiUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  const timeoutMs = config.timeoutMs ?? 10_000;
  const pool = new Pool(base.origin, { connections: 8, keepAliveTimeout: 30_000 });

  return {
    async call(method, params) {
      try {
        const response = await pool.request({
          method: "POST",
          path: `${prefix}/bot${config.botToken}/${method}`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(params),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const text = await response.body.text();
        return { status: response.statusCode, body: parseJson(text) };
      } catch (error) {
        // The token lives in the path; keep only the error's own message, which never includes it.
        const reason = error instanceof Error ? error.message : String(error);
        return { status: NETWORK_FAILURE_STATUS, body: `Telegram could not be reached: ${reason}` };
      }
    },
    close: () => pool.close(),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
