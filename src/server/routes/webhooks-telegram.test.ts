import { afterEach, describe, expect, it } from "vitest";
import {
  readTelegramSample,
  SECRETS,
  startWebhookHarness,
  type WebhookHarness,
} from "../../../test/support/webhook-harness.ts";

let harness: WebhookHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startWebhookHarness>[0] = {}): Promise<WebhookHarness> {
  harness = await startWebhookHarness(options);
  return harness;
}

function post(
  h: WebhookHarness,
  body: string,
  secret: string | undefined,
  channelId = h.channels.telegram.id,
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== undefined) headers["x-telegram-bot-api-secret-token"] = secret;
  return h.app.inject({ method: "POST", url: `/api/webhook/telegram/${channelId}`, payload: body, headers });
}

describe("POST /api/webhook/telegram/:channelId", () => {
  it("hands a text message to the runtime, deduped by update id", async () => {
    const h = await start();
    const response = await post(
      h,
      readTelegramSample("01-update-message-text.json"),
      SECRETS.telegram.webhookSecret,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(h.runtime.accepted).toHaveLength(1);
    expect(h.runtime.accepted[0]?.channel.id).toBe(h.channels.telegram.id);
    const [message] = h.runtime.acceptedMessages();
    expect(message?.externalMessageId).toMatch(/^tg:\d+$/);
    expect(message?.kind).toBe("text");
  });

  it("answers the callback query and hands the button press to the runtime", async () => {
    const h = await start();
    const response = await post(
      h,
      readTelegramSample("03-update-callback-query.json"),
      SECRETS.telegram.webhookSecret,
    );
    expect(response.statusCode).toBe(200);
    expect(h.directory.sender.answeredCallbacks).toEqual(["4300000000000000001"]);
    expect(h.runtime.acceptedMessages()).toEqual([
      expect.objectContaining({ externalMessageId: "tg:900000103", kind: "button", text: "Yes, that's it" }),
    ]);
  });

  it("still answers 200 when answering the callback query fails", async () => {
    const h = await start({ failingSender: true });
    const response = await post(
      h,
      readTelegramSample("03-update-callback-query.json"),
      SECRETS.telegram.webhookSecret,
    );
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.directory.sender.answeredCallbacks).toHaveLength(1);
  });

  it.each([
    ["missing", undefined],
    ["wrong", "not-the-secret"],
    ["empty", ""],
  ])("refuses a %s secret header with 401 and hands nothing on", async (_name, secret) => {
    const h = await start();
    const response = await post(h, readTelegramSample("01-update-message-text.json"), secret);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("UNAUTHENTICATED");
    expect(h.runtime.accepted).toEqual([]);
  });

  it("checks the secret before parsing: an unauthenticated malformed body is 401", async () => {
    const h = await start();
    expect((await post(h, "{oops", undefined)).statusCode).toBe(401);
  });

  it("answers 400 for malformed JSON with the right secret", async () => {
    const h = await start();
    const response = await post(h, '{"update_id": ', SECRETS.telegram.webhookSecret);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("INVALID_JSON");
  });

  it.each([
    ["an edited message", '{"update_id": 5, "edited_message": {"message_id": 1}}'],
    ["an unknown update kind", '{"update_id": 6, "poll": {}}'],
    ["something that is not an update", '{"hello": "world"}'],
    ["a malformed message", '{"update_id": 7, "message": {"chat": "nope"}}'],
  ])("answers 200 and hands nothing on for %s", async (_name, body) => {
    const h = await start();
    const response = await post(h, body, SECRETS.telegram.webhookSecret);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(h.runtime.accepted).toEqual([]);
  });

  it("answers the same 404 for an unknown channel and for a WhatsApp channel's id", async () => {
    const h = await start();
    const body = readTelegramSample("01-update-message-text.json");
    const unknown = await post(h, body, SECRETS.telegram.webhookSecret, "no-such-channel");
    const whatsapp = await post(h, body, SECRETS.telegram.webhookSecret, h.channels.wa.id);
    expect(unknown.statusCode).toBe(404);
    expect(whatsapp.body).toBe(unknown.body);
  });

  it("answers 500 when the runtime cannot store the update, so Telegram retries", async () => {
    const h = await start();
    h.runtime.failWith(new Error("disk full"));
    const response = await post(
      h,
      readTelegramSample("01-update-message-text.json"),
      SECRETS.telegram.webhookSecret,
    );
    expect(response.statusCode).toBe(500);
  });
});
