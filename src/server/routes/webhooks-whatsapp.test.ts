import { afterEach, describe, expect, it, vi } from "vitest";
import {
  OTHER_NUMBER,
  readWhatsAppFixture,
  SAMPLE_NUMBER,
  SECRETS,
  signedHeaders,
  startWebhookHarness,
  type WebhookHarness,
} from "../../../test/support/webhook-harness.ts";
import { deleteChannel, updateChannel } from "../../store/index.ts";
import { sealChannelSecrets } from "../channel-secrets.ts";
import { WEBHOOK_CHANNEL_TTL_MS, WHATSAPP_WEBHOOK_BODY_LIMIT } from "./webhooks-whatsapp.ts";

let harness: WebhookHarness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startWebhookHarness>[0] = {}): Promise<WebhookHarness> {
  harness = await startWebhookHarness(options);
  return harness;
}

const TEXT = readWhatsAppFixture("01-inbound-text.json");
const TEXT_ID = JSON.parse(TEXT).entry[0].changes[0].value.messages[0].id;

/** A webhook body with one change per (number, messages) pair, each in its own entry. */
function buildPayload(changes: { number: string; messages: { id: string; from: string; ts: number }[] }[]) {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: changes.map((change, index) => ({
      id: `10200000000000${index}`,
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550001111", phone_number_id: change.number },
            contacts: change.messages.map((m) => ({ profile: { name: `User ${m.from}` }, wa_id: m.from })),
            messages: change.messages.map((m) => ({
              from: m.from,
              id: m.id,
              timestamp: String(m.ts),
              type: "text",
              text: { body: `hello ${m.id}` },
            })),
          },
        },
      ],
    })),
  });
}

describe("GET /api/webhook/whatsapp/:channelId", () => {
  const url = (channelId: string, mode: string, token: string) =>
    `/api/webhook/whatsapp/${channelId}?hub.mode=${mode}&hub.verify_token=${token}&hub.challenge=1158201444`;

  it("echoes the raw challenge as text/plain for the channel's verify token", async () => {
    const { app, channels } = await start();
    const response = await app.inject(url(channels.wa.id, "subscribe", SECRETS.wa.verifyToken));
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.body).toBe("1158201444");
  });

  it.each([
    ["a wrong token", "subscribe", "nope"],
    ["another channel's token", "subscribe", SECRETS.waOther.verifyToken],
    ["the environment's token", "subscribe", SECRETS.env.verifyToken],
    ["a wrong mode", "unsubscribe", SECRETS.wa.verifyToken],
  ])("answers 403 for %s", async (_name, mode, token) => {
    const { app, channels } = await start();
    const response = await app.inject(url(channels.wa.id, mode, token));
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("FORBIDDEN");
  });

  it("answers the same 404 for an unknown channel and for a channel of another kind", async () => {
    const { app, channels } = await start();
    const unknown = await app.inject(url("no-such-channel", "subscribe", SECRETS.wa.verifyToken));
    const telegram = await app.inject(url(channels.telegram.id, "subscribe", SECRETS.wa.verifyToken));
    expect(unknown.statusCode).toBe(404);
    expect(telegram.statusCode).toBe(404);
    expect(telegram.body).toBe(unknown.body);
    expect(unknown.json()).toEqual({ error: expect.any(String), code: "NOT_FOUND" });
  });
});

describe("POST /api/webhook/whatsapp/:channelId", () => {
  const post = (
    h: WebhookHarness,
    body: string | Buffer,
    headers: Record<string, string>,
    channelId = h.channels.wa.id,
  ) => h.app.inject({ method: "POST", url: `/api/webhook/whatsapp/${channelId}`, payload: body, headers });

  it("hands a signed message to the runtime and answers 200 with the counts", async () => {
    const h = await start();
    const response = await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok", accepted: 1, duplicates: 0 });
    expect(h.runtime.accepted).toHaveLength(1);
    expect(h.runtime.accepted[0]?.channel.id).toBe(h.channels.wa.id);
    expect(h.runtime.acceptedMessages()[0]).toMatchObject({
      externalMessageId: TEXT_ID,
      contact: { externalId: "15550002222", name: "Alex Example" },
      kind: "text",
      text: "Hi, I want to check the status of my order",
    });
    expect(h.directory.sender.markedRead).toEqual([TEXT_ID]);
  });

  it("accepts a content type with a charset parameter", async () => {
    const h = await start();
    const headers = {
      ...signedHeaders(TEXT, SECRETS.wa.appSecret),
      "content-type": "application/json; charset=utf-8",
    };
    expect((await post(h, TEXT, headers)).statusCode).toBe(200);
  });

  it("reports a redelivery as a duplicate and does not mark it read again", async () => {
    const h = await start();
    await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret));
    const again = await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret));
    expect(again.json()).toEqual({ status: "ok", accepted: 0, duplicates: 1 });
    expect(h.directory.sender.markedRead).toHaveLength(1);
  });

  it.each([
    ["missing", {}],
    ["wrong", { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }],
    ["not hex", { "x-hub-signature-256": "sha256=xyz" }],
    ["made with another channel's secret", signedHeaders(TEXT, SECRETS.waOther.appSecret)],
    ["made with the environment's secret", signedHeaders(TEXT, SECRETS.env.appSecret)],
  ])("refuses a %s signature with 401 and stores nothing", async (_name, headers) => {
    const h = await start();
    const response = await post(h, TEXT, { "content-type": "application/json", ...headers });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("WEBHOOK_SIGNATURE_INVALID");
    expect(h.runtime.accepted).toEqual([]);
    expect(h.runtime.statuses).toEqual([]);
  });

  it("refuses a deleted channel's POSTs with 404 once WEBHOOK_CHANNEL_TTL_MS has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const h = await start();
    const headers = signedHeaders(TEXT, SECRETS.wa.appSecret);
    expect((await post(h, TEXT, headers)).statusCode).toBe(200);
    await deleteChannel(h.database.db, h.channels.wa.organizationId, h.channels.wa.id);
    vi.setSystemTime(Date.now() + WEBHOOK_CHANNEL_TTL_MS);
    expect((await post(h, TEXT, headers)).statusCode).toBe(404);
    expect(h.runtime.accepted).toHaveLength(1);
  });

  it("checks a rotated app secret once WEBHOOK_CHANNEL_TTL_MS has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const h = await start();
    expect((await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret))).statusCode).toBe(200);
    const rotated = { ...SECRETS.wa, appSecret: "wa-app-secret-2" };
    await updateChannel(h.database.db, h.channels.wa.organizationId, h.channels.wa.id, {
      secretsEncrypted: sealChannelSecrets({ kind: "whatsapp", ...rotated }, h.secretBox),
      at: 2,
    });
    vi.setSystemTime(Date.now() + WEBHOOK_CHANNEL_TTL_MS);
    expect((await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret))).statusCode).toBe(401);
    expect((await post(h, TEXT, signedHeaders(TEXT, rotated.appSecret))).statusCode).toBe(200);
  });

  it("checks the signature before parsing: unsigned garbage is 401, not 400", async () => {
    const h = await start();
    const response = await post(h, "{not json", { "content-type": "application/json" });
    expect(response.statusCode).toBe(401);
  });

  it("answers 400 INVALID_JSON for signed malformed JSON and 400 for a signed empty body", async () => {
    const h = await start();
    const malformed = await post(h, '{"entry": [', signedHeaders('{"entry": [', SECRETS.wa.appSecret));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe("INVALID_JSON");
    const empty = await post(h, "", signedHeaders("", SECRETS.wa.appSecret));
    expect(empty.statusCode).toBe(400);
    expect(h.runtime.accepted).toEqual([]);
  });

  it("refuses prototype poisoning in a signed body", async () => {
    const h = await start();
    const body = '{"__proto__": {"polluted": true}, "entry": []}';
    const response = await post(h, body, signedHeaders(body, SECRETS.wa.appSecret));
    expect(response.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("accepts a body of exactly the limit and answers 413 one byte past it", async () => {
    const h = await start();
    const atLimit = TEXT + " ".repeat(WHATSAPP_WEBHOOK_BODY_LIMIT - Buffer.byteLength(TEXT));
    const ok = await post(h, atLimit, signedHeaders(atLimit, SECRETS.wa.appSecret));
    expect(ok.statusCode).toBe(200);
    const tooBig = `${atLimit} `;
    const refused = await post(h, tooBig, signedHeaders(tooBig, SECRETS.wa.appSecret));
    expect(refused.statusCode).toBe(413);
    expect(refused.json().code).toBe("PAYLOAD_TOO_LARGE");
    expect(h.runtime.accepted).toHaveLength(1);
  });

  it("routes every message of a multi-entry payload and ignores other numbers' batches", async () => {
    const h = await start();
    const body = buildPayload([
      {
        number: SAMPLE_NUMBER,
        messages: [
          { id: "wamid.a1", from: "111", ts: 10 },
          { id: "wamid.b1", from: "222", ts: 11 },
        ],
      },
      { number: OTHER_NUMBER, messages: [{ id: "wamid.x1", from: "333", ts: 12 }] },
      { number: SAMPLE_NUMBER, messages: [{ id: "wamid.a2", from: "111", ts: 13 }] },
    ]);
    const response = await post(h, body, signedHeaders(body, SECRETS.wa.appSecret));
    expect(response.json()).toEqual({ status: "ok", accepted: 3, duplicates: 0 });
    const ids = h.runtime.acceptedMessages().map((m) => m.externalMessageId);
    expect(ids).toEqual(["wamid.a1", "wamid.b1", "wamid.a2"]);
    expect(h.runtime.accepted.every((call) => call.channel.id === h.channels.wa.id)).toBe(true);
    // Newest message per contact only: a2 for 111 (marks a1 too), b1 for 222.
    expect([...h.directory.sender.markedRead].sort()).toEqual(["wamid.a2", "wamid.b1"]);
  });

  it("drops messages no platform sends: empty sender, absurd timestamp, nesting too deep to store", async () => {
    const h = await start();
    const depth = 300_000;
    const deep = `${'{"d":'.repeat(depth)}0${"}".repeat(depth)}`;
    const messages = [
      '{"from":"","id":"wamid.empty","timestamp":"1","type":"text","text":{"body":"x"}}',
      '{"from":"1","id":"wamid.future","timestamp":"1e300","type":"text","text":{"body":"x"}}',
      `{"from":"1","id":"wamid.deep","timestamp":"1","type":"x","x":${deep}}`,
      '{"from":"1","id":"wamid.fine","timestamp":"1","type":"text","text":{"body":"x"}}',
    ];
    const value = `{"metadata":{"phone_number_id":"${SAMPLE_NUMBER}"},"messages":[${messages.join(",")}]}`;
    const body = `{"entry":[{"changes":[{"field":"messages","value":${value}}]}]}`;
    const response = await post(h, body, signedHeaders(body, SECRETS.wa.appSecret));
    expect(response.json()).toEqual({ status: "ok", accepted: 1, duplicates: 0 });
    expect(h.runtime.acceptedMessages().map((m) => m.externalMessageId)).toEqual(["wamid.fine"]);
  });

  it("forwards statuses to the runtime", async () => {
    const h = await start();
    const body = readWhatsAppFixture("20-status-delivered.json");
    const response = await post(h, body, signedHeaders(body, SECRETS.wa.appSecret));
    expect(response.json()).toEqual({ status: "ok", accepted: 0, duplicates: 0 });
    expect(h.runtime.statuses).toEqual([
      [expect.objectContaining({ status: "delivered", recipientExternalId: "15550002222" })],
    ]);
    expect(h.runtime.accepted).toEqual([]);
  });

  it("answers 500 when the runtime cannot store the messages, so Meta retries", async () => {
    const h = await start();
    h.runtime.failWith(new Error("disk full"));
    const response = await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret));
    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe("INTERNAL_ERROR");
    expect(response.body).not.toContain("disk full");
    expect(h.directory.sender.markedRead).toEqual([]);
  });

  it("still answers 200 when mark-as-read fails", async () => {
    const h = await start({ failingSender: true });
    const response = await post(h, TEXT, signedHeaders(TEXT, SECRETS.wa.appSecret));
    expect(response.statusCode).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.directory.sender.markedRead).toEqual([TEXT_ID]);
  });

  it("leaves JSON parsing of other routes alone", async () => {
    const h = await start();
    const response = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "nobody", password: "x" },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("/api/webhook/whatsapp (the environment's number)", () => {
  const handshake = (token: string) =>
    `/api/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=abc-123`;

  it("verifies with VERIFY_TOKEN", async () => {
    const { app } = await start();
    expect((await app.inject(handshake(SECRETS.env.verifyToken))).body).toBe("abc-123");
    expect((await app.inject(handshake(SECRETS.wa.verifyToken))).statusCode).toBe(403);
  });

  it("routes each batch by phone_number_id and ignores unknown numbers", async () => {
    const h = await start();
    const body = buildPayload([
      { number: SAMPLE_NUMBER, messages: [{ id: "wamid.s1", from: "111", ts: 10 }] },
      { number: OTHER_NUMBER, messages: [{ id: "wamid.o1", from: "222", ts: 11 }] },
      { number: "199999999999999", messages: [{ id: "wamid.u1", from: "333", ts: 12 }] },
    ]);
    const response = await h.app.inject({
      method: "POST",
      url: "/api/webhook/whatsapp",
      payload: body,
      headers: signedHeaders(body, SECRETS.env.appSecret),
    });
    expect(response.json()).toEqual({ status: "ok", accepted: 2, duplicates: 0 });
    const routed = h.runtime.accepted.map((call) => [call.channel.id, call.messages[0]?.externalMessageId]);
    expect(routed).toEqual([
      [h.channels.wa.id, "wamid.s1"],
      [h.channels.waOther.id, "wamid.o1"],
    ]);
  });

  it("refuses every POST with 401 when WHATSAPP_APP_SECRET is not set", async () => {
    const h = await start({ env: { WHATSAPP_APP_SECRET: "" } });
    const response = await h.app.inject({
      method: "POST",
      url: "/api/webhook/whatsapp",
      payload: TEXT,
      headers: signedHeaders(TEXT, SECRETS.env.appSecret),
    });
    expect(response.statusCode).toBe(401);
    expect(h.runtime.accepted).toEqual([]);
  });

  it("answers 404 when no WhatsApp number is configured", async () => {
    const h = await start({
      env: { WHATSAPP_TOKEN: "", PHONE_NUMBER_ID: "", VERIFY_TOKEN: "", WHATSAPP_APP_SECRET: "" },
    });
    expect((await h.app.inject(handshake("anything"))).statusCode).toBe(404);
    const response = await h.app.inject({
      method: "POST",
      url: "/api/webhook/whatsapp",
      payload: TEXT,
      headers: signedHeaders(TEXT, "x"),
    });
    expect(response.statusCode).toBe(404);
  });
});
