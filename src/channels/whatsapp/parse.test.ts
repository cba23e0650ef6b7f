import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWebhook } from "./parse.ts";

function loadSample(name: string): unknown {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures", name), "utf8"));
}

const BOT_WAMID = "wamid.HBgLMTU1NTAwMDIyMjIVAgARGBI5QjAwMDAwMDAwMDAwMDAwMDEA";
const ALEX = { externalId: "15550002222", phone: "15550002222", name: "Alex Example" };
const SAM = { externalId: "15550003333", phone: "15550003333", name: "Sam Sample" };
const JORDAN = { externalId: "15550004444", phone: "15550004444", name: "Jordan Test" };

describe("parseWebhook on inbound samples", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    [
      "01-inbound-text.json",
      { kind: "text", text: "Hi, I want to check the status of my order", contact: ALEX },
    ],
    [
      "02-inbound-interactive-button-reply.json",
      {
        kind: "button",
        optionId: "flow:order_status:node_confirm:yes",
        text: "Yes, that's it",
        replyToMessageId: BOT_WAMID,
        timestamp: 1767261645000,
      },
    ],
    [
      "03-inbound-interactive-list-reply.json",
      { kind: "button", optionId: "menu.billing.invoices", text: "Invoices", contact: SAM },
    ],
    [
      "04-inbound-template-quick-reply-button.json",
      { kind: "button", optionId: "APPT_CONFIRM:appt_8841", text: "Confirm", contact: JORDAN },
    ],
    [
      "05-inbound-image-with-caption.json",
      {
        kind: "media",
        text: "This is the damaged box",
        media: {
          mediaType: "image",
          providerMediaId: "1500000000000101",
          mimeType: "image/jpeg",
          caption: "This is the damaged box",
        },
      },
    ],
    [
      "06-inbound-document.json",
      {
        kind: "media",
        text: "Receipt for order A12345",
        media: {
          mediaType: "document",
          providerMediaId: "1500000000000102",
          mimeType: "application/pdf",
          caption: "Receipt for order A12345",
          filename: "receipt-A12345.pdf",
        },
      },
    ],
    [
      "07-inbound-audio-voice-note.json",
      {
        kind: "media",
        text: "",
        media: {
          mediaType: "audio",
          providerMediaId: "1500000000000103",
          mimeType: "audio/ogg; codecs=opus",
        },
      },
    ],
    [
      "08-inbound-location.json",
      {
        kind: "location",
        text: "40.712776,-74.005974",
        raw: expect.objectContaining({ name: "Example Coffee House" }),
      },
    ],
    ["09-inbound-contacts.json", { kind: "contacts", text: "Casey Placeholder", raw: expect.any(Array) }],
    ["10-inbound-reaction.json", { kind: "reaction", text: "👍", replyToMessageId: BOT_WAMID }],
    [
      "12-inbound-unsupported.json",
      { kind: "unsupported", text: "", raw: expect.objectContaining({ type: "unsupported" }) },
    ],
    [
      "13-inbound-text-quoted-reply-context.json",
      {
        kind: "text",
        text: "Can you resend this one to my other email?",
        replyToMessageId: "wamid.HBgLMTU1NTAwMDMzMzMVAgARGBI5QjAwMDAwMDAwMDAwMDAwMDIA",
      },
    ],
  ];
  it.each(cases)("%s", (file, expected) => {
    const parsed = parseWebhook(loadSample(file));
    expect(parsed.ignored).toBe(0);
    expect(parsed.batches).toHaveLength(1);
    const batch = parsed.batches[0];
    expect(batch).toMatchObject({
      phoneNumberId: "106000000000001",
      displayPhoneNumber: "15550001111",
      statuses: [],
    });
    expect(batch?.messages).toHaveLength(1);
    expect(batch?.messages[0]).toMatchObject(expected);
    expect(batch?.messages[0]?.externalMessageId).toMatch(/^wamid\./);
  });

  it("keeps media captions and interactive titles out of optionId for plain text", () => {
    const message = parseWebhook(loadSample("01-inbound-text.json")).batches[0]?.messages[0];
    expect(message?.optionId).toBeUndefined();
    expect(message?.timestamp).toBe(1767261600000);
  });
});

describe("parseWebhook on status samples", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    [
      "19-status-sent.json",
      { status: "sent", providerMessageId: BOT_WAMID, recipientExternalId: "15550002222" },
    ],
    ["20-status-delivered.json", { status: "delivered", timestamp: 1767261611000 }],
    ["21-status-read.json", { status: "read" }],
    [
      "22-status-failed-131047.json",
      {
        status: "failed",
        errorCode: "131047",
        errorMessage: expect.stringContaining("Re-engagement message"),
      },
    ],
    ["23-status-sent-marketing-template.json", { status: "sent", recipientExternalId: "15550004444" }],
    ["24-status-failed-131049.json", { status: "failed", errorCode: "131049" }],
  ];
  it.each(cases)("%s", (file, expected) => {
    const parsed = parseWebhook(loadSample(file));
    expect(parsed.ignored).toBe(0);
    expect(parsed.batches[0]?.messages).toEqual([]);
    expect(parsed.batches[0]?.statuses).toHaveLength(1);
    expect(parsed.batches[0]?.statuses[0]).toMatchObject(expected);
  });
});
