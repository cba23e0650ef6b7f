import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegramApi, startFakeTelegramApi } from "./telegram-api.ts";

let api: FakeTelegramApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function call(target: FakeTelegramApi, method: string, body: unknown, token = target.botToken) {
  const response = await fetch(`${target.url}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("startFakeTelegramApi", () => {
  it("answers sendMessage like Telegram and records the call", async () => {
    api = await startFakeTelegramApi();
    const first = await call(api, "sendMessage", { chat_id: 42, text: "Hi" });
    const second = await call(api, "sendMessage", { chat_id: "42", text: "Again" });
    expect(first).toMatchObject({
      status: 200,
      body: { ok: true, result: { message_id: 1, chat: { id: 42 }, text: "Hi" } },
    });
    expect(second.body).toMatchObject({ result: { message_id: 2 } });
    expect(api.calls.map((c) => c.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(api.messagesTo("42")).toHaveLength(2);
  });

  it.each([
    {
      name: "empty text",
      method: "sendMessage",
      body: { chat_id: 1, text: "" },
      description: "Bad Request: message text is empty",
    },
    {
      name: "text over 4096",
      method: "sendMessage",
      body: { chat_id: 1, text: "x".repeat(4097) },
      description: "Bad Request: message is too long",
    },
    {
      name: "callback_data over 64 bytes",
      method: "sendMessage",
      body: {
        chat_id: 1,
        text: "t",
        reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "é".repeat(33) }]] },
      },
      description: "Bad Request: BUTTON_DATA_INVALID",
    },
    {
      name: "caption over 1024",
      method: "sendPhoto",
      body: { chat_id: 1, photo: "https://x.test/a.jpg", caption: "c".repeat(1025) },
      description: "Bad Request: message caption is too long",
    },
    {
      name: "photo missing",
      method: "sendPhoto",
      body: { chat_id: 1 },
      description: "Bad Request: there is no photo in the request",
    },
    {
      name: "no chat",
      method: "sendMessage",
      body: { text: "t" },
      description: "Bad Request: chat_id is empty",
    },
  ])("rejects $name with 400", async ({ method, body, description }) => {
    api = await startFakeTelegramApi();
    const reply = await call(api, method, body);
    expect(reply).toEqual({ status: 400, body: { ok: false, error_code: 400, description } });
    expect(api.messagesTo(1)).toHaveLength(0);
  });

  it("rejects a wrong token with 401 and an unknown method with 404", async () => {
    api = await startFakeTelegramApi({ botToken: "1:right" });
    expect((await call(api, "sendMessage", { chat_id: 1, text: "t" }, "1:wrong")).status).toBe(401);
    expect((await call(api, "noSuchMethod", {})).status).toBe(404);
  });

  it("answers 403 for a chat that blocked the bot", async () => {
    api = await startFakeTelegramApi({ blockedChats: ["9"] });
    expect((await call(api, "sendMessage", { chat_id: 9, text: "t" })).body).toEqual({
      ok: false,
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
  });

  it("injects 429 with retry_after, reproducibly for a seed", async () => {
    const statuses: number[][] = [];
    for (let run = 0; run < 2; run++) {
      api = await startFakeTelegramApi({ failureRate: 0.5, failureKinds: ["429", "500"], seed: 7 });
      const seen: number[] = [];
      for (let i = 0; i < 20; i++)
        seen.push((await call(api, "sendMessage", { chat_id: 1, text: "t" })).status);
      statuses.push(seen);
      await api.close();
      api = undefined;
    }
    expect(statuses[0]).toEqual(statuses[1]);
    expect(new Set(statuses[0])).toEqual(new Set([200, 429, 500]));
  });

  it("always throttles at failureRate 1 and can be healed with setFaults", async () => {
    api = await startFakeTelegramApi({ failureRate: 1, failureKinds: ["429"], retryAfter: 35 });
    const throttled = await call(api, "sendMessage", { chat_id: 1, text: "t" });
    expect(throttled.body).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 35",
      parameters: { retry_after: 35 },
    });
    api.setFaults({ failureRate: 0 });
    expect((await call(api, "sendMessage", { chat_id: 1, text: "t" })).status).toBe(200);
  });

  it("handles webhook and callback methods, and waits for calls", async () => {
    api = await startFakeTelegramApi();
    const waiting = api.waitForCalls(3);
    await call(api, "setWebhook", { url: "https://example.test/hook", secret_token: "abc_DEF-1" });
    await call(api, "answerCallbackQuery", { callback_query_id: "q1" });
    await call(api, "deleteWebhook", {});
    expect((await waiting).map((c) => c.status)).toEqual([200, 200, 200]);
    expect(
      (await call(api, "setWebhook", { url: "https://x.test", secret_token: "bad token!" })).status,
    ).toBe(400);
    await expect(api.waitForCalls(99, 50)).rejects.toThrow(/expected 99/);
  });
});
