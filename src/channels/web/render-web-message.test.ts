import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../core/messages.ts";
import { cutText, renderWebMessage, type WebRendered } from "./render-web-message.ts";

const rows = Array.from({ length: 12 }, (_, i) => ({ id: `r${i + 1}`, title: `Row ${i + 1}` }));

const cases: Array<{ name: string; message: OutboundMessage; expected: Partial<WebRendered> }> = [
  { name: "text", message: { type: "text", text: "Hello" }, expected: { type: "text", text: "Hello" } },
  {
    name: "buttons with header, footer and a long title",
    message: {
      type: "buttons",
      header: "Order",
      body: "Is this it?",
      footer: "Reply below",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "long", title: "A title far longer than twenty" },
      ],
    },
    expected: {
      header: "Order",
      text: "Is this it?",
      footer: "Reply below",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "long", title: "A title far longer …" },
      ],
    },
  },
  {
    name: "media",
    message: {
      type: "media",
      mediaType: "document",
      url: "https://x.test/a.pdf",
      caption: "A",
      filename: "a.pdf",
    },
    expected: { text: "A", media: { mediaType: "document", url: "https://x.test/a.pdf", filename: "a.pdf" } },
  },
  {
    name: "template",
    message: {
      type: "template",
      name: "order_update",
      language: "en",
      params: ["A1", "shipped"],
      buttons: ["OK"],
    },
    expected: {
      text: "[order_update]\nA1\nshipped",
      buttons: [{ id: "button-0", title: "OK" }],
      template: { name: "order_update", language: "en" },
    },
  },
];

describe("renderWebMessage", () => {
  it.each(cases)("$name", ({ message, expected }) => {
    expect(renderWebMessage(message)).toMatchObject(expected);
  });

  it.each([
    { page: 0, first: "r1", last: "__more__:1", count: 10 },
    { page: 1, first: "r10", last: "r12", count: 3 },
  ])("pages a list of 12 rows (page $page)", ({ page, first, last, count }) => {
    const rendered = renderWebMessage({ type: "list", body: "Pick", buttonText: "Menu", rows, page });
    expect(rendered.list?.rows).toHaveLength(count);
    expect(rendered.list?.rows[0]?.id).toBe(first);
    expect(rendered.list?.rows.at(-1)?.id).toBe(last);
    expect(rendered.list).toMatchObject({ page, pageCount: 2, buttonText: "Menu" });
  });

  it.each([
    { text: "short", limit: 5, expected: "short" },
    { text: "shorter", limit: 5, expected: "shor…" },
    { text: "😀😀😀😀😀😀", limit: 5, expected: "😀😀😀😀…" },
  ])("cutText($text, $limit)", ({ text, limit, expected }) => {
    expect(cutText(text, limit)).toBe(expected);
  });
});
