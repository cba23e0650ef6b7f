/**
 * Throws 10,000 hostile bodies at the WhatsApp webhook and 2,000 at the Telegram one (seeded, so a
 * failure reproduces): every answer must be 200/400/401/413, the heap must not grow with the number
 * of requests, and the runtime must only ever see well-formed messages and statuses.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CHANNEL_KINDS } from "../src/core/channel.ts";
import { WHATSAPP_WEBHOOK_BODY_LIMIT } from "../src/server/routes/webhooks-whatsapp.ts";
import {
  createFuzzer,
  type Fuzzer,
  fuzzTelegramBody,
  fuzzWhatsAppBody,
} from "./support/webhook-fuzz-bodies.ts";
import {
  SAMPLE_NUMBER,
  SECRETS,
  signWhatsApp,
  startWebhookHarness,
  type WebhookHarness,
} from "./support/webhook-harness.ts";

const WHATSAPP_BODIES = 10_000;
const TELEGRAM_BODIES = 2_000;
const ALLOWED = new Set([200, 400, 401, 413]);
/** Generous: the point is "bounded", not a number; a leak of the fuzzed bodies would be hundreds of MB. */
const MAX_HEAP_GROWTH = 64 * 1024 * 1024;

const id = z.string().min(1).max(512);
const inboundSchema = z.strictObject({
  externalMessageId: id,
  contact: z.strictObject({
    externalId: id,
    name: z.string().optional(),
    phone: z.string().optional(),
    username: z.string().optional(),
  }),
  timestamp: z.number().min(0).max(8.64e15),
  kind: z.enum([
    "text",
    "button",
    "media",
    "location",
    "contacts",
    "reaction",
    "order",
    "system",
    "unsupported",
  ]),
  text: z.string(),
  optionId: z.string().optional(),
  media: z
    .strictObject({
      mediaType: z.string(),
      url: z.string().optional(),
      mimeType: z.string().optional(),
      caption: z.string().optional(),
      filename: z.string().optional(),
      providerMediaId: z.string().optional(),
    })
    .optional(),
  replyToMessageId: z.string().optional(),
  referral: z.unknown().optional(),
  raw: z.unknown().optional(),
});
const statusSchema = z.strictObject({
  providerMessageId: id,
  status: z.enum(["sent", "delivered", "read", "failed"]),
  timestamp: z.number().min(0).max(8.64e15),
  recipientExternalId: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});

let harness: WebhookHarness;
beforeAll(async () => {
  harness = await startWebhookHarness();
});
afterAll(async () => {
  await harness.close();
});

describe("webhook fuzzing", () => {
  it("survives 10,000 WhatsApp bodies and 2,000 Telegram updates with bounded heap", async () => {
    const gc = exposeGc();
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    let acceptedMessages = 0;
    const checkRuntime = () => {
      for (const call of harness.runtime.accepted) {
        expect(CHANNEL_KINDS).toContain(call.channel.kind);
        for (const message of call.messages) {
          const parsed = inboundSchema.safeParse(message);
          if (!parsed.success)
            throw new Error(`malformed message reached the runtime: ${parsed.error.message}`);
          acceptedMessages++;
        }
      }
      for (const batch of harness.runtime.statuses) for (const status of batch) statusSchema.parse(status);
      harness.runtime.reset();
    };

    // Warm up JIT and caches before the baseline, so one-time allocations do not count as growth.
    await fuzzWhatsApp(createFuzzer(7), 200, count);
    checkRuntime();
    gc?.();
    const before = process.memoryUsage().heapUsed;

    const whatsapp = createFuzzer(20260101);
    for (let done = 0; done < WHATSAPP_BODIES; done += 500) {
      await fuzzWhatsApp(whatsapp, 500, count);
      checkRuntime();
    }
    const telegram = createFuzzer(424242);
    for (let done = 0; done < TELEGRAM_BODIES; done += 500) {
      await fuzzTelegram(telegram, 500, count);
      checkRuntime();
    }

    gc?.();
    const growth = process.memoryUsage().heapUsed - before;
    expect([...statuses.keys()].filter((status) => !ALLOWED.has(status))).toEqual([]);
    // Each outcome must actually have been exercised, or the fuzzer is not reaching the code.
    for (const status of ALLOWED) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    expect(acceptedMessages).toBeGreaterThan(1000);
    expect(growth).toBeLessThan(MAX_HEAP_GROWTH);

    // Still serving: a genuine delivery after all that is accepted.
    const body = JSON.stringify(fuzzWhatsAppBody(createFuzzer(1), SAMPLE_NUMBER));
    const after = await postWhatsApp(body, signWhatsApp(body, SECRETS.wa.appSecret), harness.channels.wa.id);
    expect(after.statusCode).toBe(200);
  }, 120_000);
});

async function fuzzWhatsApp(f: Fuzzer, total: number, count: (status: number) => void): Promise<void> {
  for (let index = 0; index < total; index++) {
    const body = makeWhatsAppBytes(f);
    const [url, secret] = f.chance(0.85)
      ? [`/api/webhook/whatsapp/${harness.channels.wa.id}`, SECRETS.wa.appSecret]
      : [f.chance(0.5) ? "/api/webhook/whatsapp" : "/webhook", SECRETS.env.appSecret];
    const response = await harness.app.inject({
      method: "POST",
      url,
      payload: body,
      headers: { "content-type": "application/json", ...signatureFor(f, body, secret) },
    });
    count(response.statusCode);
  }
}

/** Half correctly signed; the rest unsigned, garbled, signed with another secret or over other bytes. */
function signatureFor(f: Fuzzer, body: Buffer, secret: string): Record<string, string> {
  const roll = f.int(10);
  if (roll < 5) return { "x-hub-signature-256": signWhatsApp(body, secret) };
  if (roll === 5) return {};
  if (roll === 6)
    return { "x-hub-signature-256": f.pick(["sha256=", "sha1=abc", "", `sha256=${"g".repeat(64)}`]) };
  if (roll === 7) return { "x-hub-signature-256": signWhatsApp(body, SECRETS.waOther.appSecret) };
  return { "x-hub-signature-256": signWhatsApp(Buffer.concat([body, Buffer.from(" ")]), secret) };
}

function makeWhatsAppBytes(f: Fuzzer): Buffer {
  const roll = f.int(1000);
  if (roll < 2) return Buffer.alloc(WHATSAPP_WEBHOOK_BODY_LIMIT + 1 + f.int(1000), " ");
  if (roll < 20) {
    const text = JSON.stringify(fuzzWhatsAppBody(f, SAMPLE_NUMBER));
    return Buffer.from(text.slice(0, f.int(text.length)));
  }
  if (roll < 30) return Buffer.from([0xff, 0xfe, 0x7b, 0x22, f.int(256)]);
  if (roll < 35) return Buffer.from("[".repeat(200_000) + "]".repeat(200_000));
  if (roll < 60) return Buffer.from(JSON.stringify(f.junk()) ?? "");
  if (roll < 70)
    return Buffer.from(
      `{"entry":[{"changes":[{"field":"messages","value":${"[".repeat(50_000)}${"]".repeat(50_000)}}]}]}`,
    );
  if (roll < 75) return Buffer.from(deepMessageBody(100_000 + f.int(100_000)));
  return Buffer.from(JSON.stringify(fuzzWhatsAppBody(f, SAMPLE_NUMBER)));
}

async function fuzzTelegram(f: Fuzzer, total: number, count: (status: number) => void): Promise<void> {
  for (let index = 0; index < total; index++) {
    const roll = f.int(100);
    const payload =
      roll < 3
        ? "{ broken"
        : roll < 8
          ? (JSON.stringify(f.junk()) ?? "")
          : JSON.stringify(fuzzTelegramBody(f));
    const headers: Record<string, string> = { "content-type": "application/json" };
    const secretRoll = f.int(4);
    if (secretRoll < 2) headers["x-telegram-bot-api-secret-token"] = SECRETS.telegram.webhookSecret;
    if (secretRoll === 2) {
      headers["x-telegram-bot-api-secret-token"] = f.pick(["", "wrong", "tg_secret-2", "x".repeat(300)]);
    }
    const response = await harness.app.inject({
      method: "POST",
      url: `/api/webhook/telegram/${harness.channels.telegram.id}`,
      payload: f.chance(0.005) ? " ".repeat(1_048_577) : payload,
      headers,
    });
    count(response.statusCode);
  }
}

/** A message whose unknown content is nested `depth` levels deep (built as text: stringify would overflow). */
function deepMessageBody(depth: number): string {
  const deep = `${'{"deeper":'.repeat(depth)}"core"${"}".repeat(depth)}`;
  const message = `{"from":"15550002222","id":"wamid.deep${depth}","timestamp":"1767261600","type":"x","x":${deep}}`;
  const value = `{"metadata":{"phone_number_id":"${SAMPLE_NUMBER}"},"messages":[${message}]}`;
  return `{"entry":[{"changes":[{"field":"messages","value":${value}}]}]}`;
}

function postWhatsApp(body: string, signature: string, channelId: string) {
  return harness.app.inject({
    method: "POST",
    url: `/api/webhook/whatsapp/${channelId}`,
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
  });
}

/** global.gc without --expose-gc: turn the flag on and fetch gc from a fresh context. */
function exposeGc(): (() => void) | undefined {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
  return typeof gc === "function" ? () => gc() : undefined;
}
