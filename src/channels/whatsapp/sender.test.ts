import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "../../../test/fakes/graph-api.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { GraphRequestError } from "./errors.ts";
import { createWhatsAppSender, type WhatsAppSender } from "./sender.ts";

const TOKEN = "EAAG-fake-token";
const PHONE_NUMBER_ID = "106000000000001";
const USER = "15550002222";
const envelope = { messaging_product: "whatsapp", recipient_type: "individual", to: "+15550002222" };

let fake: FakeGraphApi;
let sender: WhatsAppSender;

beforeAll(async () => {
  fake = await startFakeGraphApi({ accessToken: TOKEN });
  sender = createWhatsAppSender({
    graphUrl: fake.url,
    apiVersion: "v25.0",
    phoneNumberId: PHONE_NUMBER_ID,
    accessToken: TOKEN,
    timeoutMs: 300,
  });
});
afterAll(async () => {
  await sender.close();
  await fake.close();
});
beforeEach(() => fake.reset());

function lastResponseId(): unknown {
  const response = fake.calls.at(-1)?.responseBody as { messages?: Array<{ id: string }> } | undefined;
  return response?.messages?.[0]?.id;
}

describe("WhatsApp sender → fake Graph API: bodies", () => {
  const cases: Array<[string, OutboundMessage, Record<string, unknown>]> = [
    ["text", { type: "text", text: "Hello" }, { type: "text", text: { body: "Hello", preview_url: false } }],
    [
      "buttons",
      {
        type: "buttons",
        body: "Which?",
        footer: "Shop",
        buttons: [
          { id: "y", title: "Yes" },
          { id: "n", title: "No" },
        ],
      },
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Which?" },
          footer: { text: "Shop" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "y", title: "Yes" } },
              { type: "reply", reply: { id: "n", title: "No" } },
            ],
          },
        },
      },
    ],
    [
      "list",
      {
        type: "list",
        header: "Menu",
        body: "Pick",
        buttonText: "Topics",
        rows: [{ id: "a", title: "A", description: "first" }],
      },
      {
        type: "interactive",
        interactive: {
          type: "list",
          header: { type: "text", text: "Menu" },
          body: { text: "Pick" },
          action: {
            button: "Topics",
            sections: [{ title: "Topics", rows: [{ id: "a", title: "A", description: "first" }] }],
          },
        },
      },
    ],
    [
      "image",
      { type: "media", mediaType: "image", url: "https://cdn.example.test/a.jpg", caption: "Box" },
      { type: "image", image: { link: "https://cdn.example.test/a.jpg", caption: "Box" } },
    ],
    [
      "audio",
      { type: "media", mediaType: "audio", url: "https://cdn.example.test/a.ogg", caption: "ignored" },
      { type: "audio", audio: { link: "https://cdn.example.test/a.ogg" } },
    ],
    [
      "document",
      { type: "media", mediaType: "document", url: "https://cdn.example.test/f/inv.pdf" },
      { type: "document", document: { link: "https://cdn.example.test/f/inv.pdf", filename: "inv.pdf" } },
    ],
    [
      "template",
      { type: "template", name: "order_update", language: "en_US", params: ["A1"], headerParams: ["Today"] },
      {
        type: "template",
        template: {
          name: "order_update",
          language: { code: "en_US" },
          components: [
            { type: "header", parameters: [{ type: "text", text: "Today" }] },
            { type: "body", parameters: [{ type: "text", text: "A1" }] },
          ],
        },
      },
    ],
  ];
  it.each(cases)("%s", async (_name, message, expected) => {
    const outcome = await sender.send(USER, message);
    expect(outcome).toEqual({ ok: true, providerMessageId: lastResponseId() });
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0];
    expect(call).toMatchObject({ method: "POST", path: `/v25.0/${PHONE_NUMBER_ID}/messages`, status: 200 });
    expect(call?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call?.headers["content-type"]).toBe("application/json");
    expect(call?.body).toEqual({ ...envelope, ...expected });
  });

  it("splits long text into several calls, in order, and reports the last id", async () => {
    const paragraphs = ["a", "b", "c"].map((letter) => letter.repeat(3000));
    const outcome = await sender.send(USER, { type: "text", text: paragraphs.join("\n\n") });
    const sent = fake.messagesTo(USER).map((call) => (call.body as { text: { body: string } }).text.body);
    expect(sent).toEqual(paragraphs);
    expect(outcome).toEqual({ ok: true, providerMessageId: lastResponseId() });
  });

  it("pages a 12-row list and sends a More options row", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
    await sender.send(USER, { type: "list", body: "Pick", buttonText: "Rows", rows });
    const body = fake.calls[0]?.body as { interactive: { action: { sections: Array<{ rows: unknown[] }> } } };
    expect(body.interactive.action.sections[0]?.rows).toHaveLength(10);
    expect(body.interactive.action.sections[0]?.rows.at(-1)).toEqual({
      id: "__more__:1",
      title: "More options",
    });
  });

  it("marks a message read with a typing indicator", async () => {
    await sender.markAsRead("wamid.IN1", { typing: true });
    expect(fake.calls[0]?.body).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.IN1",
      typing_indicator: { type: "text" },
    });
    await sender.markAsRead("wamid.IN2");
    expect(fake.calls[1]?.body).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.IN2",
    });
  });
});

describe("WhatsApp sender → fake Graph API: failures", () => {
  it.each([
    [
      "429",
      {
        retryable: true,
        code: "CHANNEL_RATE_LIMITED",
        providerCode: "130429",
        scope: "channel",
        retryAfterMs: 1000,
      },
    ],
    ["130429", { retryable: true, code: "CHANNEL_RATE_LIMITED", providerCode: "130429", scope: "channel" }],
    ["131056", { retryable: true, code: "CHANNEL_RATE_LIMITED", providerCode: "131056", scope: "contact" }],
    ["500", { retryable: true, code: "CHANNEL_UNAVAILABLE", providerCode: "131000" }],
    ["timeout", { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
  ] as const)("fault %s", async (kind, expected) => {
    fake.setFaults({ failureRate: 1, failureKinds: [kind] });
    const outcome = await sender.send(USER, { type: "text", text: "hi" });
    expect(outcome).toMatchObject({ ok: false, ...expected });
  });

  it("reports a closed 24 h window as WA_WINDOW_CLOSED, permanent", async () => {
    fake.setWindowClosed(USER);
    const outcome = await sender.send(USER, { type: "text", text: "hi" });
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      code: "WA_WINDOW_CLOSED",
      providerCode: "131047",
    });
    const template = await sender.send(USER, {
      type: "template",
      name: "hello_world",
      language: "en_US",
      params: [],
    });
    expect(template.ok).toBe(true);
  });

  it("reports a body Meta rejects as a permanent failure with the Graph code", async () => {
    const outcome = await sender.send(USER, { type: "template", name: "", language: "en_US", params: [] });
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      code: "CHANNEL_SEND_FAILED",
      providerCode: "131008",
    });
  });

  it("reports a bad token as a permanent channel-wide failure", async () => {
    const other = createWhatsAppSender({
      graphUrl: fake.url,
      apiVersion: "v25.0",
      phoneNumberId: "1",
      accessToken: "bad",
    });
    const outcome = await other.send(USER, { type: "text", text: "hi" });
    await other.close();
    expect(outcome).toMatchObject({ ok: false, retryable: false, providerCode: "190", scope: "channel" });
  });

  it("reports an unreachable Graph API as retryable", async () => {
    const gone = await startFakeGraphApi();
    const url = gone.url;
    await gone.close();
    const other = createWhatsAppSender({
      graphUrl: url,
      apiVersion: "v25.0",
      phoneNumberId: "1",
      accessToken: "t",
    });
    const outcome = await other.send(USER, { type: "text", text: "hi" });
    await other.close();
    expect(outcome).toMatchObject({ ok: false, retryable: true, code: "CHANNEL_UNAVAILABLE" });
  });

  it("refuses to send nothing", async () => {
    const outcome = await sender.send(USER, { type: "text", text: "  " });
    expect(outcome).toMatchObject({ ok: false, retryable: false, code: "CHANNEL_SEND_FAILED" });
    expect(fake.calls).toHaveLength(0);
  });

  it("throws a classified GraphRequestError when mark-as-read fails", async () => {
    fake.setFaults({ failureRate: 1, failureKinds: ["500"] });
    const failure = await sender.markAsRead("wamid.X").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphRequestError);
    expect(failure).toMatchObject({ outcome: { retryable: true, code: "CHANNEL_UNAVAILABLE" } });
  });
});

describe("WhatsApp sender → fake Graph API: media download", () => {
  it("looks the media up, then downloads the bytes with the bearer token", async () => {
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    fake.addMedia("1500000000000101", bytes, "image/jpeg");
    const media = await sender.downloadMedia("1500000000000101");
    expect(media.bytes.equals(bytes)).toBe(true);
    expect(media.mimeType).toBe("image/jpeg");
    expect(fake.calls.map((call) => [call.method, call.path, call.headers.authorization])).toEqual([
      ["GET", "/v25.0/1500000000000101", `Bearer ${TOKEN}`],
      ["GET", "/media-download/1500000000000101", `Bearer ${TOKEN}`],
    ]);
  });

  it("throws GraphRequestError for an unknown media id", async () => {
    await expect(sender.downloadMedia("404")).rejects.toBeInstanceOf(GraphRequestError);
  });
});
