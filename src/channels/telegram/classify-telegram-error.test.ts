import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyTelegramError } from "./classify-telegram-error.ts";

function loadSample(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8"));
}

describe("classifyTelegramError", () => {
  it.each([
    {
      name: "429 sample",
      status: 429,
      body: loadSample("resp-error-429-flood"),
      expected: {
        ok: false,
        retryable: true,
        code: "CHANNEL_RATE_LIMITED",
        providerCode: "429",
        message: "Too Many Requests: retry after 35",
        retryAfterMs: 35_000,
        scope: "channel",
      },
    },
    {
      name: "403 blocked sample",
      status: 403,
      body: loadSample("resp-error-403-blocked"),
      expected: {
        ok: false,
        retryable: false,
        code: "CHANNEL_SEND_FAILED",
        providerCode: "403",
        message: "Forbidden: bot was blocked by the user",
        scope: "contact",
      },
    },
    {
      name: "400 stale callback sample",
      status: 400,
      body: loadSample("resp-error-400-callback-too-old"),
      expected: { retryable: false, code: "CHANNEL_SEND_FAILED", providerCode: "400", scope: "message" },
    },
    {
      name: "429 without parameters",
      status: 429,
      body: { ok: false, error_code: 429, description: "Too Many Requests" },
      expected: { retryable: true, code: "CHANNEL_RATE_LIMITED", scope: "channel" },
    },
    {
      name: "502 with HTML body",
      status: 502,
      body: "<html>Bad Gateway</html>",
      expected: {
        retryable: true,
        code: "CHANNEL_UNAVAILABLE",
        providerCode: "502",
        message: "<html>Bad Gateway</html>",
      },
    },
    {
      name: "500 JSON",
      status: 500,
      body: { ok: false, error_code: 500, description: "Internal Server Error" },
      expected: { retryable: true, code: "CHANNEL_UNAVAILABLE", providerCode: "500" },
    },
    {
      name: "network failure",
      status: 0,
      body: undefined,
      expected: { retryable: true, code: "CHANNEL_UNAVAILABLE", message: "Telegram could not be reached" },
    },
    {
      name: "401 bad token",
      status: 401,
      body: { ok: false, error_code: 401, description: "Unauthorized" },
      expected: { retryable: false, code: "CHANNEL_SEND_FAILED", scope: "channel" },
    },
    {
      name: "400 migrated group",
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: "Bad Request: group chat was upgraded",
        parameters: { migrate_to_chat_id: -100123 },
      },
      expected: {
        retryable: false,
        message: "Bad Request: group chat was upgraded (chat migrated to -100123)",
      },
    },
    {
      name: "409 conflict, body null",
      status: 409,
      body: null,
      expected: { retryable: false, code: "CHANNEL_SEND_FAILED", message: "Telegram answered HTTP 409" },
    },
  ])("$name", ({ status, body, expected }) => {
    const outcome = classifyTelegramError(status, body);
    expect(outcome).toMatchObject(expected);
    expect(outcome.ok).toBe(false);
  });
});
