import { describe, expect, it } from "vitest";
import { buildWebInbound, createWebChannel, type WebMessage } from "./web-channel.ts";

describe("createWebChannel", () => {
  it("keeps what was sent per contact and reports an id", async () => {
    const channel = createWebChannel({ now: () => 1000 });
    const outcome = await channel.send("c1", { type: "text", text: "Hi" });
    await channel.send("c2", { type: "text", text: "Other" });
    expect(outcome).toEqual({ ok: true, providerMessageId: "web-1" });
    expect(channel.history("c1")).toEqual([
      {
        id: "web-1",
        at: 1000,
        message: { type: "text", text: "Hi" },
        rendered: { type: "text", text: "Hi", buttons: [] },
      },
    ]);
    expect(channel.kind).toBe("web");
    expect(channel.enforcesWindow).toBe(false);
  });

  it("returns only the messages after sinceId, or everything when the id is gone", async () => {
    const channel = createWebChannel();
    for (const text of ["a", "b", "c"]) await channel.send("c1", { type: "text", text });
    const [first] = channel.history("c1");
    expect(channel.history("c1", first?.id).map((m) => m.rendered.text)).toEqual(["b", "c"]);
    expect(channel.history("c1", "web-999").map((m) => m.rendered.text)).toEqual(["a", "b", "c"]);
  });

  it("notifies subscribers until they unsubscribe, and survives a throwing one", async () => {
    const channel = createWebChannel();
    const seen: WebMessage[] = [];
    channel.subscribe("c1", () => {
      throw new Error("socket closed");
    });
    const unsubscribe = channel.subscribe("c1", (message) => seen.push(message));
    await channel.send("c1", { type: "text", text: "one" });
    await channel.send("c2", { type: "text", text: "not mine" });
    unsubscribe();
    const outcome = await channel.send("c1", { type: "text", text: "two" });
    expect(outcome.ok).toBe(true);
    expect(seen.map((m) => m.rendered.text)).toEqual(["one"]);
  });

  it("bounds the history and clears it", async () => {
    const channel = createWebChannel({ maxHistory: 3 });
    for (let i = 1; i <= 5; i++) await channel.send("c1", { type: "text", text: `m${i}` });
    expect(channel.history("c1").map((m) => m.rendered.text)).toEqual(["m3", "m4", "m5"]);
    channel.clear("c1");
    expect(channel.history("c1")).toEqual([]);
  });

  it("pages a long list like WhatsApp", async () => {
    const channel = createWebChannel();
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
    await channel.send("c1", { type: "list", body: "Pick", buttonText: "Menu", rows, page: 1 });
    expect(channel.history("c1")[0]?.rendered.list?.rows.map((r) => r.id)).toEqual(["r9", "r10", "r11"]);
  });
});

describe("buildWebInbound", () => {
  it.each([
    { input: { text: "hello" }, kind: "text", text: "hello", optionId: undefined },
    { input: { optionId: "yes", text: "Yes" }, kind: "button", text: "Yes", optionId: "yes" },
    { input: { optionId: "__more__:1" }, kind: "button", text: "", optionId: "__more__:1" },
    { input: {}, kind: "text", text: "", optionId: undefined },
  ])("$input", ({ input, kind, text, optionId }) => {
    const inbound = buildWebInbound("tester", input, 42, "m-1");
    expect(inbound).toMatchObject({
      externalMessageId: "m-1",
      contact: { externalId: "tester" },
      timestamp: 42,
    });
    expect(inbound.kind).toBe(kind);
    expect(inbound.text).toBe(text);
    expect(inbound.optionId).toBe(optionId);
  });
});
