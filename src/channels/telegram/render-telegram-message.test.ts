import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../core/messages.ts";
import { renderTelegramMessage, type TelegramCall } from "./render-telegram-message.ts";

const rows = Array.from({ length: 12 }, (_, i) => ({
  id: `row-${i + 1}`,
  title: `Row ${i + 1}`,
  description: "d",
}));

function keyboardOf(call: TelegramCall | undefined): Array<{ text: string; callback_data: string }> {
  const markup = call?.body.reply_markup;
  const rows =
    typeof markup === "object" && markup !== null && "inline_keyboard" in markup
      ? markup.inline_keyboard
      : [];
  expect(Array.isArray(rows)).toBe(true);
  return (Array.isArray(rows) ? rows : []).map((row: unknown) => {
    expect(row).toEqual([{ text: expect.any(String), callback_data: expect.any(String) }]);
    return Array.isArray(row) ? row[0] : undefined;
  });
}

describe("renderTelegramMessage", () => {
  it.each<{ name: string; message: OutboundMessage; expected: TelegramCall[] }>([
    {
      name: "text",
      message: { type: "text", text: "Hello" },
      expected: [{ method: "sendMessage", body: { chat_id: "42", text: "Hello" } }],
    },
    {
      name: "image with caption",
      message: { type: "media", mediaType: "image", url: "https://x.test/a.jpg", caption: "Look" },
      expected: [
        { method: "sendPhoto", body: { chat_id: "42", photo: "https://x.test/a.jpg", caption: "Look" } },
      ],
    },
    {
      name: "document",
      message: { type: "media", mediaType: "document", url: "https://x.test/a.pdf", filename: "a.pdf" },
      expected: [{ method: "sendDocument", body: { chat_id: "42", document: "https://x.test/a.pdf" } }],
    },
    {
      name: "video",
      message: { type: "media", mediaType: "video", url: "https://x.test/a.mp4" },
      expected: [{ method: "sendVideo", body: { chat_id: "42", video: "https://x.test/a.mp4" } }],
    },
    {
      name: "audio",
      message: { type: "media", mediaType: "audio", url: "https://x.test/a.mp3" },
      expected: [{ method: "sendAudio", body: { chat_id: "42", audio: "https://x.test/a.mp3" } }],
    },
    {
      name: "template with quick replies",
      message: {
        type: "template",
        name: "order_update",
        language: "en",
        params: ["A1"],
        buttons: ["Track", "Stop"],
      },
      expected: [
        {
          method: "sendMessage",
          body: {
            chat_id: "42",
            text: "[order_update]\nA1",
            reply_markup: {
              inline_keyboard: [
                [{ text: "Track", callback_data: "button-0" }],
                [{ text: "Stop", callback_data: "button-1" }],
              ],
            },
          },
        },
      ],
    },
  ])("$name", ({ message, expected }) => {
    expect(renderTelegramMessage("42", message)).toEqual(expected);
  });

  it("renders the sample inline keyboard request (one button per row, no parse_mode)", () => {
    const sample = JSON.parse(
      readFileSync(new URL("./samples/req-sendMessage-inline-keyboard.json", import.meta.url), "utf8"),
    );
    const buttons = sample.reply_markup.inline_keyboard
      .flat()
      .map((b: { text: string; callback_data: string }) => ({
        id: b.callback_data,
        title: b.text,
      }));
    const [call] = renderTelegramMessage(String(sample.chat_id), {
      type: "buttons",
      body: sample.text,
      buttons,
    });
    expect(call?.body.text).toBe(sample.text);
    expect(keyboardOf(call)).toEqual(sample.reply_markup.inline_keyboard.flat());
  });

  it("folds header and footer into the text", () => {
    const [call] = renderTelegramMessage("1", {
      type: "buttons",
      header: "Order",
      body: "Is this it?",
      footer: "Tap one",
      buttons: [{ id: "y", title: "Yes" }],
    });
    expect(call?.body.text).toBe("Order\n\nIs this it?\n\nTap one");
  });

  it("encodes ids that do not fit in 64 bytes by position", () => {
    const [call] = renderTelegramMessage("1", {
      type: "buttons",
      body: "Pick",
      buttons: [
        { id: "x".repeat(100), title: "Long" },
        { id: "🍕".repeat(16), title: "Pizza" },
        { id: "🍕".repeat(17), title: "Too much pizza" },
      ],
    });
    expect(keyboardOf(call).map((b) => b.callback_data)).toEqual(["#1", "🍕".repeat(16), "#3"]);
  });

  it.each([
    { page: 0, titles: [...rows.slice(0, 9).map((r) => r.title), "More options"], lastData: "__more__:1" },
    { page: 1, titles: ["Row 10", "Row 11", "Row 12"], lastData: "row-12" },
  ])("pages a 12-row list (page $page)", ({ page, titles, lastData }) => {
    const calls = renderTelegramMessage("1", { type: "list", body: "Pick", buttonText: "Menu", rows, page });
    expect(calls).toHaveLength(1);
    const keyboard = keyboardOf(calls[0]);
    expect(keyboard.map((b) => b.text)).toEqual(titles);
    expect(keyboard.at(-1)?.callback_data).toBe(lastData);
  });

  it("splits a 5000-char text and puts the keyboard on the last part", () => {
    const body = `${"word ".repeat(900)}\n\n${"more ".repeat(100)}`.trim();
    const calls = renderTelegramMessage("1", { type: "buttons", body, buttons: [{ id: "ok", title: "OK" }] });
    expect(calls).toHaveLength(2);
    for (const call of calls) expect(String(call.body.text).length).toBeLessThanOrEqual(4096);
    expect(calls[0]?.body.reply_markup).toBeUndefined();
    expect(keyboardOf(calls[1])).toEqual([{ text: "OK", callback_data: "ok" }]);
  });

  it("sends a caption over 1024 chars as text after the media", () => {
    const caption = "c".repeat(1500);
    const calls = renderTelegramMessage("1", {
      type: "media",
      mediaType: "image",
      url: "https://x.test/a.jpg",
      caption,
    });
    expect(calls.map((c) => c.method)).toEqual(["sendPhoto", "sendMessage"]);
    expect(calls[0]?.body.caption).toBeUndefined();
    expect(calls[1]?.body.text).toBe(caption);
  });

  it("gives a keyboard with an empty body a visible text", () => {
    const [call] = renderTelegramMessage("1", {
      type: "buttons",
      body: "",
      buttons: [{ id: "a", title: "A" }],
    });
    expect(call?.body.text).toBe("Choose an option:");
  });
});
