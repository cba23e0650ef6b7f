import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegramApi } from "../../test/fakes/telegram-api.ts";
import { sealChannelSecrets, type TelegramChannelSecrets } from "../server/channel-secrets.ts";
import { type ChannelRecord, createSecretBox } from "../store/index.ts";
import { getTelegramWebhookUrl, setTelegramWebhook } from "./telegram-set-webhook.ts";

const box = createSecretBox(Buffer.alloc(32, 3));
const BOT_TOKEN = "123456:TEST-token";
let closeFake: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeFake?.();
  closeFake = undefined;
});

function telegramChannel(secrets: Omit<TelegramChannelSecrets, "kind">): ChannelRecord {
  return {
    id: "chan-1",
    organizationId: "org-1",
    botId: null,
    kind: "telegram",
    name: "bot",
    externalId: "7000000001",
    config: {},
    secretsEncrypted: sealChannelSecrets({ kind: "telegram", ...secrets }, box),
    createdAt: 0,
    updatedAt: 0,
  };
}

describe("setTelegramWebhook", () => {
  it("registers the per-channel URL with the channel's secret and prints the outcome", async () => {
    const fake = await startFakeTelegramApi({ botToken: BOT_TOKEN });
    closeFake = fake.close;
    const printed: string[] = [];
    const result = await setTelegramWebhook({
      publicUrl: "https://bots.example.com/",
      channel: telegramChannel({ botToken: BOT_TOKEN, webhookSecret: "s3cret_1" }),
      secretBox: box,
      apiUrl: fake.url,
      print: (line) => printed.push(line),
    });
    expect(result).toEqual({
      ok: true,
      url: "https://bots.example.com/api/webhook/telegram/chan-1",
      description: "Webhook was set",
    });
    expect(fake.calls.map((call) => [call.method, call.body])).toEqual([
      [
        "setWebhook",
        { url: "https://bots.example.com/api/webhook/telegram/chan-1", secret_token: "s3cret_1" },
      ],
    ]);
    expect(printed).toEqual([
      "Telegram webhook set to https://bots.example.com/api/webhook/telegram/chan-1 (Webhook was set)",
    ]);
  });

  it("reports Telegram's refusal without throwing", async () => {
    const printed: string[] = [];
    const result = await setTelegramWebhook({
      publicUrl: "https://bots.example.com",
      channel: telegramChannel({ botToken: BOT_TOKEN, webhookSecret: "s" }),
      secretBox: box,
      apiUrl: "http://unused",
      print: (line) => printed.push(line),
      createSender: () => ({
        setWebhook: async () => ({ ok: false, description: "Unauthorized" }),
        close: async () => {},
      }),
    });
    expect(result.ok).toBe(false);
    expect(printed[0]).toContain("refused");
  });

  it.each([
    ["no public URL", undefined, { botToken: BOT_TOKEN, webhookSecret: "s" }, /PARLEY_PUBLIC_URL/],
    ["plain http", "http://bots.example.com", { botToken: BOT_TOKEN, webhookSecret: "s" }, /https/],
    [
      "an unsupported port",
      "https://bots.example.com:3000",
      { botToken: BOT_TOKEN, webhookSecret: "s" },
      /ports/,
    ],
    ["no bot token", "https://bots.example.com", { webhookSecret: "s" }, /bot token/],
    ["no secret", "https://bots.example.com", { botToken: BOT_TOKEN }, /webhook secret/],
    [
      "a secret Telegram refuses",
      "https://bots.example.com",
      { botToken: BOT_TOKEN, webhookSecret: "a b" },
      /webhook secret/,
    ],
  ])("refuses %s before calling Telegram", async (_name, publicUrl, secrets, message) => {
    let called = false;
    const attempt = setTelegramWebhook({
      publicUrl,
      channel: telegramChannel(secrets),
      secretBox: box,
      apiUrl: "http://unused",
      print: () => {},
      createSender: () => {
        called = true;
        return { setWebhook: async () => ({ ok: true }), close: async () => {} };
      },
    });
    await expect(attempt).rejects.toThrow(message);
    expect(called).toBe(false);
  });

  it("builds the URL without a double slash and with the id escaped", () => {
    expect(getTelegramWebhookUrl("https://x.example//", "a/b")).toBe(
      "https://x.example/api/webhook/telegram/a%2Fb",
    );
  });
});
