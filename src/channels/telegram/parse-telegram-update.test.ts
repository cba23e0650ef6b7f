import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTelegramUpdate } from "./parse-telegram-update.ts";

function loadSample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), "utf8"));
}

const RECEIVED_AT = 1_767_300_000_000;

describe("parseTelegramUpdate — samples", () => {
  it.each([
    {
      sample: "01-update-message-text",
      expected: {
        updateId: 900000101,
        message: {
          externalMessageId: "tg:900000101",
          contact: { externalId: "100000001", name: "Alex Example", username: "alex_example_fake" },
          timestamp: 1767261600000,
          kind: "text",
          text: "Hi, I want to check the status of my order",
        },
      },
    },
    {
      sample: "02-update-message-start-command",
      expected: {
        updateId: 900000102,
        message: {
          externalMessageId: "tg:900000102",
          contact: { externalId: "100000002", name: "Sam" },
          timestamp: 1767261700000,
          kind: "text",
          text: "/start campaign_spring26",
        },
      },
    },
    {
      sample: "03-update-callback-query",
      expected: {
        updateId: 900000103,
        callback: { callbackQueryId: "4300000000000000001" },
        message: {
          externalMessageId: "tg:900000103",
          contact: { externalId: "100000001", name: "Alex Example", username: "alex_example_fake" },
          timestamp: RECEIVED_AT,
          kind: "button",
          text: "Yes, that's it",
          optionId: "f:os:confirm:yes",
          replyToMessageId: "100000001:53",
        },
      },
    },
    {
      sample: "04-update-message-photo-caption",
      expected: {
        updateId: 900000104,
        message: {
          externalMessageId: "tg:900000104",
          contact: { externalId: "100000001", name: "Alex Example", username: "alex_example_fake" },
          timestamp: 1767261720000,
          kind: "media",
          text: "This is the damaged box",
          media: {
            mediaType: "image",
            providerMediaId: "AgACAgQAAxkBAAM2FakePhotoLarge0000000000000000000000AQADAgADeQADNgQ",
            caption: "This is the damaged box",
          },
        },
      },
    },
    {
      sample: "05-update-message-document",
      expected: {
        updateId: 900000105,
        message: {
          externalMessageId: "tg:900000105",
          contact: { externalId: "100000002", name: "Sam" },
          timestamp: 1767262300000,
          kind: "media",
          text: "Receipt for order A12345",
          media: {
            mediaType: "document",
            providerMediaId: "BQACAgQAAxkBAAM3FakeDocument00000000000000000000000000AQADAgADcQADNgQ",
            mimeType: "application/pdf",
            filename: "receipt-A12345.pdf",
            caption: "Receipt for order A12345",
          },
        },
      },
    },
  ])("$sample", ({ sample, expected }) => {
    expect(parseTelegramUpdate(loadSample(sample), RECEIVED_AT)).toEqual(expected);
  });
});

const chat = { id: 42, type: "private", first_name: "Ana" };
const from = { id: 42, is_bot: false, first_name: "Ana" };

function messageUpdate(fields: Record<string, unknown>): Record<string, unknown> {
  return { update_id: 7, message: { message_id: 3, from, chat, date: 1_700_000_000, ...fields } };
}

function callbackUpdate(data: string | undefined, keyboard: Array<{ text: string; callback_data: string }>) {
  return {
    update_id: 8,
    callback_query: {
      id: "cq-1",
      from,
      chat_instance: "1",
      ...(data === undefined ? {} : { data }),
      message: { message_id: 9, chat, date: 1, reply_markup: { inline_keyboard: keyboard.map((b) => [b]) } },
    },
  };
}

describe("parseTelegramUpdate — edge cases", () => {
  it.each([
    { name: "command with @botname", body: messageUpdate({ text: "/help@Shop_Bot now" }), text: "/help now" },
    { name: "plain /reset", body: messageUpdate({ text: "/reset" }), text: "/reset" },
    { name: "@ inside text stays", body: messageUpdate({ text: "mail me@x.org" }), text: "mail me@x.org" },
  ])("$name", ({ body, text }) => {
    expect(parseTelegramUpdate(body).message?.text).toBe(text);
  });

  it.each([
    { name: "voice", fields: { voice: { file_id: "v1", mime_type: "audio/ogg" } }, mediaType: "audio" },
    { name: "video", fields: { video: { file_id: "v2" }, caption: "clip" }, mediaType: "video" },
    { name: "sticker", fields: { sticker: { file_id: "s1" } }, mediaType: "sticker" },
  ])("media: $name", ({ fields, mediaType }) => {
    const message = parseTelegramUpdate(messageUpdate(fields)).message;
    expect(message?.kind).toBe("media");
    expect(message?.media?.mediaType).toBe(mediaType);
  });

  it.each([
    { name: "location", fields: { location: { latitude: 1, longitude: 2 } }, kind: "location" },
    { name: "contact", fields: { contact: { phone_number: "+1" } }, kind: "contacts" },
    { name: "poll", fields: { poll: { id: "p" } }, kind: "unsupported" },
  ])("kind of $name", ({ fields, kind }) => {
    const message = parseTelegramUpdate(messageUpdate(fields)).message;
    expect(message?.kind).toBe(kind);
    expect(message?.raw).toBeDefined();
  });

  it.each([
    { name: "null", body: null, updateId: null, ignored: /not a Telegram update/ },
    { name: "string", body: "x", updateId: null, ignored: /not a Telegram update/ },
    { name: "array", body: [1], updateId: null, ignored: /not a Telegram update/ },
    { name: "edited", body: { update_id: 5, edited_message: {} }, updateId: 5, ignored: /edited_message/ },
    { name: "channel post", body: { update_id: 5, channel_post: {} }, updateId: 5, ignored: /channel_post/ },
    {
      name: "member",
      body: { update_id: 5, my_chat_member: {} },
      updateId: 5,
      ignored: /unsupported.*my_chat_member/,
    },
    { name: "no kind", body: { update_id: 5 }, updateId: 5, ignored: /empty/ },
    { name: "bad message", body: { update_id: 5, message: { text: 1 } }, updateId: 5, ignored: /malformed/ },
  ])("ignores $name", ({ body, updateId, ignored }) => {
    const parsed = parseTelegramUpdate(body);
    expect(parsed.updateId).toBe(updateId);
    expect(parsed.ignored).toMatch(ignored);
    expect(parsed.message).toBeUndefined();
  });

  it.each([
    {
      name: "plain id",
      body: callbackUpdate("yes", [{ text: "Yes", callback_data: "yes" }]),
      text: "Yes",
      optionId: "yes",
    },
    {
      name: "encoded position of a 100-char id",
      body: callbackUpdate("#2", [
        { text: "First", callback_data: "a" },
        { text: "Second", callback_data: "#2" },
      ]),
      text: "Second",
      optionId: undefined,
    },
    {
      name: "emoji id",
      body: callbackUpdate("🍕🍕", [{ text: "Pizza", callback_data: "🍕🍕" }]),
      text: "Pizza",
      optionId: "🍕🍕",
    },
    {
      name: "more options",
      body: callbackUpdate("__more__:1", [{ text: "More options", callback_data: "__more__:1" }]),
      text: "More options",
      optionId: "__more__:1",
    },
    { name: "unknown id without keyboard", body: callbackUpdate("zz", []), text: "zz", optionId: "zz" },
  ])("callback: $name", ({ body, text, optionId }) => {
    const parsed = parseTelegramUpdate(body);
    expect(parsed.callback).toEqual({ callbackQueryId: "cq-1" });
    expect(parsed.message?.text).toBe(text);
    expect(parsed.message?.optionId).toBe(optionId);
  });

  it("still reports the callback id of a query without data so it can be answered", () => {
    const parsed = parseTelegramUpdate(callbackUpdate(undefined, []));
    expect(parsed).toMatchObject({ callback: { callbackQueryId: "cq-1" }, ignored: /without data/ });
  });
});
