import { describe, expect, it } from "vitest";
import { parseWebhook } from "./parse.ts";

function envelope(...changes: unknown[]): unknown {
  return { object: "whatsapp_business_account", entry: [{ id: "waba", changes }] };
}

function change(phoneNumberId: string, value: Record<string, unknown>): unknown {
  return {
    field: "messages",
    value: { metadata: { phone_number_id: phoneNumberId, display_phone_number: "1" }, ...value },
  };
}

function text(from: string, id: string, timestamp: string, body = id): unknown {
  return { from, id, timestamp, type: "text", text: { body } };
}

describe("parseWebhook batching", () => {
  it("reads every entry and change and groups by phone_number_id", () => {
    const body = {
      entry: [
        {
          changes: [
            change("A", { messages: [text("1", "m1", "10")] }),
            change("B", { messages: [text("2", "m2", "11")] }),
          ],
        },
        {
          changes: [
            change("A", { statuses: [{ id: "s1", status: "read", timestamp: "12", recipient_id: "1" }] }),
          ],
        },
      ],
    };
    const parsed = parseWebhook(body);
    expect(parsed.ignored).toBe(0);
    expect(parsed.batches.map((b) => b.phoneNumberId)).toEqual(["A", "B"]);
    expect(parsed.batches[0]?.messages.map((m) => m.externalMessageId)).toEqual(["m1"]);
    expect(parsed.batches[0]?.statuses.map((s) => s.providerMessageId)).toEqual(["s1"]);
    expect(parsed.batches[1]?.messages.map((m) => m.externalMessageId)).toEqual(["m2"]);
  });

  it("joins contacts by wa_id, not by index, and sorts by timestamp stably", () => {
    const parsed = parseWebhook(
      envelope(
        change("A", {
          contacts: [
            { profile: { name: "Bea" }, wa_id: "2" },
            { profile: { name: "Al", username: "al.x" }, wa_id: "1" },
          ],
          messages: [
            text("1", "late", "30"),
            text("2", "b", "20"),
            text("1", "early", "10"),
            text("1", "tie", "30"),
          ],
        }),
      ),
    );
    const messages = parsed.batches[0]?.messages ?? [];
    expect(messages.map((m) => m.externalMessageId)).toEqual(["early", "b", "late", "tie"]);
    expect(messages[0]?.contact).toEqual({ externalId: "1", phone: "1", name: "Al", username: "al.x" });
    expect(messages[1]?.contact.name).toBe("Bea");
  });

  it("keys username-only users on user_id", () => {
    const parsed = parseWebhook(
      envelope(
        change("A", {
          contacts: [{ profile: { name: "Uma", username: "uma" }, user_id: "US.1234" }],
          messages: [
            { from_user_id: "US.1234", id: "m", timestamp: "5", type: "text", text: { body: "hi" } },
          ],
        }),
      ),
    );
    expect(parsed.batches[0]?.messages[0]?.contact).toEqual({
      externalId: "US.1234",
      name: "Uma",
      username: "uma",
    });
  });

  it("keeps value.errors and referral", () => {
    const referral = { source_type: "ad", source_id: "123", ctwa_clid: "x" };
    const parsed = parseWebhook(
      envelope(
        change("A", {
          errors: [{ code: 130429, title: "Rate limit hit" }],
          messages: [{ ...(text("1", "m", "1") as object), referral }],
        }),
      ),
    );
    expect(parsed.batches[0]?.errors).toEqual([{ code: 130429, title: "Rate limit hit" }]);
    expect(parsed.batches[0]?.messages[0]?.referral).toEqual(referral);
  });
});

describe("parseWebhook message types", () => {
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ["video", { type: "video", video: { id: "v1", mime_type: "video/mp4" } }, { kind: "media", text: "" }],
    [
      "sticker",
      { type: "sticker", sticker: { id: "s1", animated: false } },
      { kind: "media", media: { mediaType: "sticker", providerMediaId: "s1" } },
    ],
    [
      "reaction removed",
      { type: "reaction", reaction: { message_id: "wamid.X" } },
      { kind: "reaction", text: "", replyToMessageId: "wamid.X" },
    ],
    [
      "order",
      {
        type: "order",
        order: { catalog_id: "c", text: "pls", product_items: [{ product_retailer_id: "p", quantity: 1 }] },
      },
      { kind: "order", text: "pls", raw: expect.objectContaining({ catalog_id: "c" }) },
    ],
    [
      "system user_changed_number",
      {
        type: "system",
        system: { body: "User A changed from 1 to 9", wa_id: "9", type: "user_changed_number" },
      },
      { kind: "system", text: "User A changed from 1 to 9", raw: expect.objectContaining({ wa_id: "9" }) },
    ],
    [
      "legacy unknown",
      { type: "unknown", errors: [{ code: 131051 }] },
      { kind: "unsupported", raw: expect.objectContaining({ type: "unknown" }) },
    ],
    [
      "future type",
      { type: "poll", poll: { q: "?" } },
      { kind: "unsupported", raw: expect.objectContaining({ type: "poll" }) },
    ],
    [
      "nfm_reply",
      { type: "interactive", interactive: { type: "nfm_reply", nfm_reply: {} } },
      { kind: "unsupported" },
    ],
    [
      "button without payload",
      { type: "button", button: { text: "Yes" } },
      { kind: "button", optionId: "Yes", text: "Yes" },
    ],
    [
      "location as strings",
      { type: "location", location: { latitude: "1.5", longitude: "2" } },
      { kind: "location", text: "1.5,2" },
    ],
    [
      "forwarded context",
      { type: "text", text: { body: "fw" }, context: { forwarded: true } },
      { kind: "text", text: "fw" },
    ],
  ];
  it.each(cases)("%s", (_name, content, expected) => {
    const parsed = parseWebhook(
      envelope(change("A", { messages: [{ from: "1", id: "m", timestamp: "1", ...content }] })),
    );
    expect(parsed.batches[0]?.messages[0]).toMatchObject(expected);
  });
});

describe("parseWebhook never throws", () => {
  const bodies: unknown[] = [
    undefined,
    null,
    42,
    "string",
    [],
    { entry: "x" },
    { entry: [null, 1, "x", { changes: null }, { changes: [null, 3, { field: "messages" }] }] },
    envelope({ field: "messages", value: { metadata: "x" } }),
    envelope({ field: "messages", value: { metadata: { phone_number_id: {} } } }),
    envelope(change("A", { contacts: "x", messages: "x", statuses: 5, errors: {} })),
    envelope(
      change("A", { contacts: [null, { profile: 3, wa_id: {} }], messages: [null, 1, [], { id: 5 }] }),
    ),
    envelope(change("A", { messages: [{ from: "1", id: "m", timestamp: "nope", type: "text" }] })),
    envelope(change("A", { messages: [{ from: "1", id: "m", timestamp: "1", type: "text", text: "x" }] })),
    envelope(
      change("A", {
        messages: [
          {
            from: "1",
            id: "m",
            timestamp: "1",
            type: "interactive",
            interactive: { type: "button_reply", button_reply: 7 },
          },
        ],
      }),
    ),
    envelope(
      change("A", {
        messages: [{ from: "1", id: "m", timestamp: "1", type: "contacts", contacts: [null, { name: 4 }] }],
      }),
    ),
    envelope(
      change("A", {
        statuses: [
          null,
          { id: "s", status: "weird", timestamp: "1" },
          { id: "s", status: "failed", timestamp: "1", errors: [null] },
        ],
      }),
    ),
    envelope(change("A", { messages: [{ from: "1", id: "m", timestamp: "1", type: "constructor" }] })),
    envelope({ field: "account_update", value: {} }),
  ];
  it.each(bodies.map((body, index) => [index, body]))("body #%i", (_index, body) => {
    expect(() => parseWebhook(body)).not.toThrow();
    const parsed = parseWebhook(body);
    expect(Array.isArray(parsed.batches)).toBe(true);
    expect(parsed.ignored).toBeGreaterThanOrEqual(0);
  });

  it("does not mistake inherited property names for statuses", () => {
    const parsed = parseWebhook(
      envelope(change("A", { statuses: [{ id: "s", status: "constructor", timestamp: "1" }] })),
    );
    expect(parsed.batches[0]?.statuses).toEqual([]);
    expect(parsed.ignored).toBe(1);
  });

  it("counts what it skips", () => {
    const parsed = parseWebhook(
      envelope(
        { field: "account_update", value: {} },
        change("A", {
          messages: [{ id: "no-sender", timestamp: "1" }, text("1", "ok", "2")],
          statuses: [{ id: "s" }],
        }),
      ),
    );
    expect(parsed.ignored).toBe(3);
    expect(parsed.batches[0]?.messages).toHaveLength(1);
  });
});
