import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../core/messages.ts";
import { MORE_OPTIONS_PREFIX } from "../../core/messages.ts";
import type { GraphSendBody } from "./render.ts";
import { renderMarkAsRead, renderMessage } from "./render.ts";

function loadSendSample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(resolve(import.meta.dirname, "fixtures/send", name), "utf8"));
}

function only(bodies: GraphSendBody[]): GraphSendBody {
  expect(bodies).toHaveLength(1);
  const [body] = bodies;
  if (!body) throw new Error("no body");
  return body;
}

function interactiveOf(body: GraphSendBody | undefined): Record<string, unknown> {
  if (body?.type !== "interactive") throw new Error("not interactive");
  return body.interactive;
}

function rowsOf(body: GraphSendBody | undefined): Array<{ id: string; title: string; description?: string }> {
  const interactive = body && body.type === "interactive" ? body.interactive : undefined;
  if (interactive?.type !== "list") throw new Error("not a list");
  return interactive.action.sections.flatMap((section) => section.rows);
}

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));

describe("renderMessage against Meta's samples", () => {
  it("text", () => {
    const sample = loadSendSample("req-01-text.json");
    const text = "Your order A12345 shipped today. Track it here: https://shop.example.com/track/A12345";
    const { biz_opaque_callback_data: _, ...expected } = sample;
    expect(only(renderMessage("15550002222", { type: "text", text }))).toEqual({
      ...expected,
      text: { body: text, preview_url: false },
    });
  });

  it("reply buttons", () => {
    const { biz_opaque_callback_data: _, ...expected } = loadSendSample(
      "req-02-interactive-reply-buttons.json",
    );
    const message: OutboundMessage = {
      type: "buttons",
      header: "Order A12345",
      body: "We found one open order on your account. Is this the one you are asking about?",
      footer: "Example Shop support",
      buttons: [
        { id: "flow:order_status:node_confirm:yes", title: "Yes, that's it" },
        { id: "flow:order_status:node_confirm:no", title: "No, another one" },
        { id: "flow:order_status:node_confirm:agent", title: "Talk to a person" },
      ],
    };
    expect(only(renderMessage("15550002222", message))).toEqual(expected);
  });

  it("list (rows flattened into one section)", () => {
    const sample = loadSendSample("req-03-interactive-list.json");
    const sampleRows = [
      { id: "menu.billing.invoices", title: "Invoices", description: "Download or resend an invoice" },
      { id: "menu.billing.refund", title: "Refunds", description: "Status of a refund request" },
      { id: "menu.orders.track", title: "Track an order" },
      { id: "menu.orders.cancel", title: "Cancel an order", description: "Only before it ships" },
    ];
    const body = only(
      renderMessage("+15550003333", {
        type: "list",
        header: "How can we help?",
        body: "Pick a topic and we will take it from there.",
        footer: "Reply 'agent' any time",
        buttonText: "See topics",
        rows: sampleRows,
      }),
    );
    expect(body).toMatchObject({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: sample.to,
    });
    expect(interactiveOf(body)).toMatchObject({
      type: "list",
      header: { type: "text", text: "How can we help?" },
      body: { text: "Pick a topic and we will take it from there." },
      footer: { text: "Reply 'agent' any time" },
      action: { button: "See topics" },
    });
    expect(rowsOf(body)).toEqual(sampleRows);
  });

  it("document by link", () => {
    const message: OutboundMessage = {
      type: "media",
      mediaType: "document",
      url: "https://files.example.com/invoices/INV-2026-0042.pdf",
      filename: "INV-2026-0042.pdf",
      caption: "Invoice INV-2026-0042",
    };
    expect(only(renderMessage("15550003333", message))).toEqual(
      loadSendSample("req-06-document-by-link.json"),
    );
  });

  it("template header and body parameters", () => {
    const sample = loadSendSample("req-07-template-with-quick-replies.json");
    const body = only(
      renderMessage("15550004444", {
        type: "template",
        name: "appointment_reminder_v2",
        language: "en_US",
        params: ["Jordan", "Example Dental, Room 4"],
        headerParams: ["Tuesday 10:30"],
        buttons: ["Confirm", "Reschedule"],
      }),
    );
    const template = sample.template as { components: Array<{ type: string }> };
    expect(body).toEqual({
      ...sample,
      template: { ...template, components: template.components.filter((c) => c.type !== "button") },
    });
  });

  it("mark as read with typing", () => {
    const id = "wamid.HBgLMTU1NTAwMDIyMjIVAgASGBQzQTAxMDAwMDAwMDAwMDAwMDAwMQA=";
    expect(renderMarkAsRead(id, true)).toEqual(loadSendSample("req-08-mark-read-with-typing.json"));
    expect(renderMarkAsRead(id)).toEqual({ messaging_product: "whatsapp", status: "read", message_id: id });
  });
});

describe("renderMessage limits", () => {
  it.each([
    ["short text", "hello", ["hello"]],
    ["exactly 4096", "a".repeat(4096), ["a".repeat(4096)]],
    ["paragraph split", `${"a".repeat(3000)}\n\n${"b".repeat(3000)}`, ["a".repeat(3000), "b".repeat(3000)]],
    [
      "sentence split",
      `${"a".repeat(3000)}. ${"b".repeat(3000)}`,
      [`${"a".repeat(3000)}.`, "b".repeat(3000)],
    ],
    [
      "word split",
      `${"a ".repeat(2100)}`.trim(),
      [`${"a ".repeat(2048)}`.trim(), `${"a ".repeat(52)}`.trim()],
    ],
    ["hard cut", "x".repeat(5000), ["x".repeat(4096), "x".repeat(904)]],
    ["empty", "   ", []],
  ])("text: %s", (_name, text, expected) => {
    const bodies = renderMessage("1", { type: "text", text });
    expect(bodies.map((b) => (b.type === "text" ? b.text.body : ""))).toEqual(expected);
    for (const body of bodies) expect(body).toMatchObject({ to: "+1", text: { preview_url: false } });
  });

  it("never splits a surrogate pair on a hard cut", () => {
    const bodies = renderMessage("1", { type: "text", text: `${"x".repeat(4095)}👍${"y".repeat(10)}` });
    expect(bodies.map((b) => (b.type === "text" ? b.text.body : ""))).toEqual([
      "x".repeat(4095),
      `👍${"y".repeat(10)}`,
    ]);
  });

  it("cuts button titles to 20, keeps ids, makes titles unique, cuts header/footer", () => {
    const long = "A very long button title indeed";
    const interactive = interactiveOf(
      only(
        renderMessage("1", {
          type: "buttons",
          body: "Pick",
          header: "H".repeat(80),
          footer: "F".repeat(80),
          buttons: [
            { id: "a", title: long },
            { id: "b", title: long },
            { id: "c", title: "Yes" },
          ],
        }),
      ),
    );
    expect(interactive).toMatchObject({
      header: { type: "text", text: `${"H".repeat(59)}…` },
      footer: { text: `${"F".repeat(59)}…` },
      action: {
        buttons: [
          { type: "reply", reply: { id: "a", title: "A very long button…" } },
          { type: "reply", reply: { id: "b", title: "A very long butto… 2" } },
          { type: "reply", reply: { id: "c", title: "Yes" } },
        ],
      },
    });
  });

  it("sends a long interactive body's head as text first", () => {
    const body = `${"a".repeat(1000)}\n\n${"b".repeat(500)}`;
    const bodies = renderMessage("1", { type: "buttons", body, buttons: [{ id: "x", title: "X" }] });
    expect(bodies.map((b) => b.type)).toEqual(["text", "interactive"]);
    expect(interactiveOf(bodies[1])).toMatchObject({ body: { text: "b".repeat(500) } });
  });

  it("turns more than 3 buttons into a list", () => {
    const bodies = renderMessage("1", { type: "buttons", body: "Pick", buttons: rows(4) });
    expect(rowsOf(only(bodies)).map((r) => r.id)).toEqual(["r0", "r1", "r2", "r3"]);
  });

  it("cuts list button, row titles and descriptions", () => {
    const body = only(
      renderMessage("1", {
        type: "list",
        body: "Pick",
        buttonText: "Choose one of these options",
        rows: [{ id: "r", title: "T".repeat(30), description: "D".repeat(80) }],
      }),
    );
    expect(interactiveOf(body)).toMatchObject({ action: { button: "Choose one of these…" } });
    expect(rowsOf(body)).toEqual([
      { id: "r", title: `${"T".repeat(23)}…`, description: `${"D".repeat(71)}…` },
    ]);
  });

  const more = (page: number) => ({ id: `${MORE_OPTIONS_PREFIX}${page}`, title: "More options" });
  it.each([
    ["10 rows, no paging", 10, undefined, rows(10).map((r) => r.id)],
    ["11 rows page 0", 11, 0, [...rows(9).map((r) => r.id), more(1).id]],
    ["11 rows page 1", 11, 1, ["r9", "r10"]],
    [
      "19 rows page 1 shows the last 10",
      19,
      1,
      rows(19)
        .slice(9)
        .map((r) => r.id),
    ],
    [
      "25 rows page 1",
      25,
      1,
      [
        ...rows(18)
          .slice(9)
          .map((r) => r.id),
        more(2).id,
      ],
    ],
    [
      "25 rows page 2",
      25,
      2,
      rows(25)
        .slice(18)
        .map((r) => r.id),
    ],
    [
      "page past the end shows the last page",
      25,
      7,
      rows(25)
        .slice(18)
        .map((r) => r.id),
    ],
  ])("list paging: %s", (_name, count, page, expectedIds) => {
    const message: OutboundMessage = { type: "list", body: "b", buttonText: "Pick", rows: rows(count) };
    if (page !== undefined) message.page = page;
    const result = rowsOf(only(renderMessage("1", message)));
    expect(result.map((r) => r.id)).toEqual(expectedIds);
    expect(result.length).toBeLessThanOrEqual(10);
    if (result.at(-1)?.id.startsWith(MORE_OPTIONS_PREFIX)) expect(result.at(-1)?.title).toBe("More options");
  });

  it.each([
    ["image", { caption: "cap" }, { link: "https://x.test/a.jpg", caption: "cap" }],
    [
      "video",
      { caption: "c".repeat(2000) },
      { link: "https://x.test/a.jpg", caption: `${"c".repeat(1023)}…` },
    ],
    ["audio", { caption: "dropped" }, { link: "https://x.test/a.jpg" }],
    ["sticker", { caption: "dropped" }, { link: "https://x.test/a.jpg" }],
    ["document", {}, { link: "https://x.test/a.jpg", filename: "a.jpg" }],
  ] as const)("media: %s", (mediaType, extra, expected) => {
    const body = only(
      renderMessage("1", { type: "media", mediaType, url: "https://x.test/a.jpg", ...extra }),
    );
    expect(body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+1",
      type: mediaType,
      [mediaType]: expected,
    });
  });

  it("template without parameters has no components", () => {
    const body = only(
      renderMessage("1", { type: "template", name: "hello_world", language: "en_US", params: [] }),
    );
    expect(body).toMatchObject({
      type: "template",
      template: { name: "hello_world", language: { code: "en_US" } },
    });
    expect(body.type === "template" && body.template.components).toBeUndefined();
  });

  it("passes business-scoped user ids through as the recipient", () => {
    expect(only(renderMessage("US.1349", { type: "text", text: "hi" })).to).toBe("US.1349");
  });
});
