import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegramApi, startFakeTelegramApi } from "../../../test/fakes/telegram-api.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { createTelegramSender, type TelegramSender } from "./telegram-sender.ts";

let api: FakeTelegramApi | undefined;
let sender: TelegramSender | undefined;

afterEach(async () => {
  await sender?.close();
  await api?.close();
  sender = undefined;
  api = undefined;
});

async function setUp(options: Parameters<typeof startFakeTelegramApi>[0] = {}) {
  api = await startFakeTelegramApi(options);
  sender = createTelegramSender({ apiUrl: api.url, botToken: api.botToken, timeoutMs: 2000 });
  return { api, sender };
}

const rows = Array.from({ length: 12 }, (_, i) => ({ id: `r${i + 1}`, title: `Row ${i + 1}` }));

describe("createTelegramSender against the fake Bot API", () => {
  it.each<{ name: string; message: OutboundMessage; methods: string[] }>([
    { name: "text", message: { type: "text", text: "Hello" }, methods: ["sendMessage"] },
    {
      name: "long text",
      message: { type: "text", text: "word ".repeat(1000) },
      methods: ["sendMessage", "sendMessage"],
    },
    {
      name: "buttons",
      message: { type: "buttons", body: "Pick", buttons: [{ id: "x".repeat(100), title: "Long id" }] },
      methods: ["sendMessage"],
    },
    {
      name: "list page 0",
      message: { type: "list", body: "Pick", buttonText: "Menu", rows },
      methods: ["sendMessage"],
    },
    {
      name: "list page 1",
      message: { type: "list", body: "Pick", buttonText: "Menu", rows, page: 1 },
      methods: ["sendMessage"],
    },
    {
      name: "image",
      message: { type: "media", mediaType: "image", url: "https://x.test/a.jpg", caption: "c" },
      methods: ["sendPhoto"],
    },
    {
      name: "document",
      message: { type: "media", mediaType: "document", url: "https://x.test/a.pdf" },
      methods: ["sendDocument"],
    },
    {
      name: "video",
      message: { type: "media", mediaType: "video", url: "https://x.test/a.mp4" },
      methods: ["sendVideo"],
    },
    {
      name: "audio",
      message: { type: "media", mediaType: "audio", url: "https://x.test/a.mp3" },
      methods: ["sendAudio"],
    },
    {
      name: "template",
      message: { type: "template", name: "promo", language: "en", params: ["10%"], buttons: ["Yes", "No"] },
      methods: ["sendMessage"],
    },
  ])("sends $name", async ({ message, methods }) => {
    const { api, sender } = await setUp();
    const outcome = await sender.send("100000001", message);
    expect(api.messagesTo("100000001").map((c) => c.method)).toEqual(methods);
    expect(outcome).toEqual({ ok: true, providerMessageId: `100000001:${methods.length}` });
  });

  it("reports 429 as retryable with retry_after", async () => {
    const { sender } = await setUp({ failureRate: 1, failureKinds: ["429"], retryAfter: 35 });
    expect(await sender.send("1", { type: "text", text: "Hi" })).toEqual({
      ok: false,
      retryable: true,
      code: "CHANNEL_RATE_LIMITED",
      providerCode: "429",
      message: "Too Many Requests: retry after 35",
      retryAfterMs: 35_000,
      scope: "channel",
    });
  });

  it("reports 500 as retryable and a blocked user as permanent", async () => {
    const { api, sender } = await setUp({ failureRate: 1, failureKinds: ["500"], blockedChats: ["66"] });
    expect(await sender.send("1", { type: "text", text: "Hi" })).toMatchObject({
      retryable: true,
      code: "CHANNEL_UNAVAILABLE",
    });
    api.setFaults({ failureRate: 0 });
    expect(await sender.send("66", { type: "text", text: "Hi" })).toMatchObject({
      ok: false,
      retryable: false,
      code: "CHANNEL_SEND_FAILED",
      providerCode: "403",
      scope: "contact",
    });
  });

  it("reports a 400 (empty text) and a wrong token as permanent", async () => {
    const { api } = await setUp();
    expect(await sender?.send("1", { type: "text", text: "" })).toMatchObject({
      retryable: false,
      providerCode: "400",
    });
    const wrong = createTelegramSender({ apiUrl: api.url, botToken: "0:wrong" });
    expect(await wrong.send("1", { type: "text", text: "Hi" })).toMatchObject({
      retryable: false,
      providerCode: "401",
    });
    await wrong.close();
  });

  it("notes a failure after earlier parts were sent", async () => {
    // Seed 1 at rate 0.5 lets the first call through and throttles the second.
    const { api, sender } = await setUp({ failureRate: 0.5, failureKinds: ["429"], seed: 1 });
    const outcome = await sender.send("5", { type: "text", text: "word ".repeat(1000) });
    expect(api.messagesTo("5")).toHaveLength(1);
    expect(outcome).toMatchObject({ ok: false, retryable: true, providerCode: "429" });
    expect(outcome.ok === false && outcome.message).toMatch(/part 2 of 2; earlier parts were sent/);
  });

  it("returns CHANNEL_UNAVAILABLE when nothing listens", async () => {
    const port = await findClosedPort();
    const offline = createTelegramSender({
      apiUrl: `http://127.0.0.1:${port}`,
      botToken: "1:x",
      timeoutMs: 500,
    });
    const outcome = await offline.send("1", { type: "text", text: "Hi" });
    expect(outcome).toMatchObject({
      ok: false,
      retryable: true,
      code: "CHANNEL_UNAVAILABLE",
      providerCode: "0",
    });
    expect(JSON.stringify(outcome)).not.toContain("1:x");
    await offline.close();
  });

  it("answers callback queries and manages the webhook", async () => {
    const { api, sender } = await setUp();
    await sender.answerCallbackQuery("q-1", "Got it");
    await sender.answerCallbackQuery("");
    expect(await sender.setWebhook("https://example.test/hooks/tg", "s3cret_A-1")).toEqual({
      ok: true,
      description: "Webhook was set",
    });
    expect(await sender.setWebhook("https://example.test/hooks/tg", "not allowed!")).toMatchObject({
      ok: false,
    });
    expect(await sender.deleteWebhook()).toMatchObject({ ok: true });
    expect(api.calls.map((c) => [c.method, c.status])).toEqual([
      ["answerCallbackQuery", 200],
      ["answerCallbackQuery", 400],
      ["setWebhook", 200],
      ["setWebhook", 400],
      ["deleteWebhook", 200],
    ]);
    expect(api.calls[0]?.body).toEqual({ callback_query_id: "q-1", text: "Got it" });
    expect(api.calls[2]?.body).toEqual({ url: "https://example.test/hooks/tg", secret_token: "s3cret_A-1" });
  });

  it("keeps a path prefix of apiUrl", async () => {
    const { api } = await setUp();
    const prefixed = createTelegramSender({ apiUrl: `${api.url}/`, botToken: api.botToken });
    expect(await prefixed.send("1", { type: "text", text: "Hi" })).toMatchObject({ ok: true });
    await prefixed.close();
  });
});

/** A loopback port that was free a moment ago, so connecting to it is refused. */
function findClosedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 1;
      server.close(() => resolve(port));
    });
  });
}
