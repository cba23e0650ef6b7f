import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGraphApi, type GraphFaultKind, startFakeGraphApi } from "./graph-api.ts";

const TOKEN = "test-token";
const MESSAGES = "/v25.0/106000000000001/messages";
let fake: FakeGraphApi;

beforeAll(async () => {
  fake = await startFakeGraphApi({ accessToken: TOKEN, templates: { order_update: 2 } });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function post(
  body: unknown,
  token = TOKEN,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${fake.url}${MESSAGES}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function errorCode(json: Record<string, unknown>): unknown {
  return (json.error as { code?: unknown } | undefined)?.code;
}

const base = { messaging_product: "whatsapp", recipient_type: "individual", to: "+15550002222" };
const button = (id: string, title: string) => ({ type: "reply", reply: { id, title } });
const buttons = (list: unknown[]) => ({
  ...base,
  type: "interactive",
  interactive: { type: "button", body: { text: "Pick" }, action: { buttons: list } },
});
const list = (rows: unknown[], buttonLabel = "Pick") => ({
  ...base,
  type: "interactive",
  interactive: {
    type: "list",
    body: { text: "Pick" },
    action: { button: buttonLabel, sections: [{ title: "S", rows }] },
  },
});
const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` }));
const template = (name: string | undefined, params: number, language: string | undefined = "en_US") => ({
  ...base,
  type: "template",
  template: {
    name,
    language: { code: language },
    components: [
      { type: "body", parameters: Array.from({ length: params }, () => ({ type: "text", text: "x" })) },
    ],
  },
});

describe("fake Graph API accepts what Meta accepts", () => {
  it.each([
    ["text", { ...base, type: "text", text: { body: "hi", preview_url: false } }],
    ["3 buttons", buttons([button("a", "A"), button("b", "B"), button("c", "C")])],
    ["10-row list", list(rows(10))],
    ["image by link", { ...base, type: "image", image: { link: "https://x.test/a.jpg" } }],
    ["template with known params", template("order_update", 2)],
  ])("%s", async (_name, body) => {
    const { status, json } = await post(body);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      messaging_product: "whatsapp",
      contacts: [{ input: "+15550002222", wa_id: "15550002222" }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
  });

  it("gives every message a unique wamid and records the call", async () => {
    const first = await post({ ...base, type: "text", text: { body: "1" } });
    const second = await post({ ...base, type: "text", text: { body: "2" } });
    expect(first.json.messages).not.toEqual(second.json.messages);
    expect(fake.messagesTo("15550002222")).toHaveLength(2);
    expect(fake.calls[0]).toMatchObject({ method: "POST", path: MESSAGES, status: 200 });
  });

  it("answers mark-as-read with success", async () => {
    const { status, json } = await post({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.X",
    });
    expect(status).toBe(200);
    expect(json).toEqual({ success: true });
  });
});

describe("fake Graph API rejects what Meta rejects", () => {
  it.each([
    ["4 buttons", buttons([button("a", "A"), button("b", "B"), button("c", "C"), button("d", "D")]), 131009],
    ["button title over 20", buttons([button("a", "x".repeat(21))]), 131009],
    ["duplicate button titles", buttons([button("a", "Same"), button("b", "Same")]), 131009],
    ["list over 10 rows", list(rows(11)), 131009],
    ["row title over 24", list([{ id: "r", title: "x".repeat(25) }]), 131009],
    ["description over 72", list([{ id: "r", title: "t", description: "x".repeat(73) }]), 131009],
    ["list button over 20", list(rows(2), "x".repeat(21)), 131009],
    ["text over 4096", { ...base, type: "text", text: { body: "x".repeat(4097) } }, 100],
    ["missing template name", template(undefined, 0), 131008],
    ["missing template language", template("order_update", 2, ""), 131008],
    ["unknown template", template("nope", 0), 132001],
    ["wrong template param count", template("order_update", 1), 132000],
    ["unknown message type", { ...base, type: "hologram", hologram: {} }, 131051],
    ["media without link", { ...base, type: "image", image: {} }, 131008],
  ])("%s", async (_name, body, code) => {
    const { status, json } = await post(body);
    expect(status).toBe(400);
    expect(json).toMatchObject({
      error: { code, type: "OAuthException", message: expect.stringContaining(`(#${code})`) },
    });
  });

  it("rejects free-form sends into a closed window with 131047, but not templates", async () => {
    fake.setWindowClosed("15550002222");
    const text = await post({ ...base, type: "text", text: { body: "hi" } });
    const templated = await post(template("order_update", 2));
    fake.setWindowClosed("+15550002222", false);
    const reopened = await post({ ...base, type: "text", text: { body: "hi" } });
    expect([text.status, errorCode(text.json)]).toEqual([400, 131047]);
    expect([templated.status, reopened.status]).toEqual([200, 200]);
  });

  it("rejects a wrong token with 190", async () => {
    const { status, json } = await post({ ...base, type: "text", text: { body: "hi" } }, "bad");
    expect(status).toBe(401);
    expect(errorCode(json)).toBe(190);
  });
});

describe("fake Graph API faults", () => {
  async function runSequence(seed: number, kinds: GraphFaultKind[]): Promise<number[]> {
    fake.setFaults({ failureRate: 0.5, failureKinds: kinds, seed });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await post({ ...base, type: "text", text: { body: "x" } })).status);
    return statuses;
  }

  it("is reproducible with a seed", async () => {
    const first = await runSequence(7, ["429", "500"]);
    const second = await runSequence(7, ["429", "500"]);
    expect(first).toEqual(second);
    expect(first).toContain(200);
    expect(first.some((status) => status === 429 || status === 500)).toBe(true);
    expect(await runSequence(8, ["429", "500"])).not.toEqual(first);
  });

  it.each([
    ["429", 429, 130429],
    ["130429", 400, 130429],
    ["131056", 400, 131056],
    ["500", 500, 131000],
  ] as const)("kind %s answers %i with code %i", async (kind, status, code) => {
    fake.setFaults({ failureRate: 1, failureKinds: [kind] });
    const result = await post({ ...base, type: "text", text: { body: "x" } });
    expect(result.status).toBe(status);
    expect(errorCode(result.json)).toBe(code);
  });

  it("holds the request open on a timeout fault", async () => {
    fake.setFaults({ failureRate: 1, failureKinds: ["timeout"] });
    const request = fetch(`${fake.url}${MESSAGES}`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ ...base, type: "text", text: { body: "x" } }),
      signal: AbortSignal.timeout(100),
    });
    await expect(request).rejects.toThrow();
    expect(fake.calls[0]?.status).toBe(0);
  });

  it("delays answers by latencyMs", async () => {
    fake.setFaults({ latencyMs: 60 });
    const started = performance.now();
    await post({ ...base, type: "text", text: { body: "x" } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });
});

describe("fake Graph API media", () => {
  it("serves the media url and the bytes behind the bearer token", async () => {
    fake.addMedia("1500000000000101", Buffer.from("jpeg-bytes"), "image/jpeg");
    const auth = { authorization: `Bearer ${TOKEN}` };
    const meta = (await (
      await fetch(`${fake.url}/v25.0/1500000000000101`, { headers: auth })
    ).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({ id: "1500000000000101", mime_type: "image/jpeg", file_size: 10 });
    const download = await fetch(String(meta.url), { headers: auth });
    expect(download.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe("jpeg-bytes");
    expect((await fetch(String(meta.url))).status).toBe(401);
  });

  it("answers an unknown media id with a Graph error", async () => {
    const response = await fetch(`${fake.url}/v25.0/999`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(400);
    expect(errorCode((await response.json()) as Record<string, unknown>)).toBe(100);
  });

  it("waitForCalls resolves once enough calls arrived and rejects on timeout", async () => {
    const waiting = fake.waitForCalls(2, 2_000);
    await post({ ...base, type: "text", text: { body: "1" } });
    await post({ ...base, type: "text", text: { body: "2" } });
    await expect(waiting).resolves.toBeUndefined();
    await expect(fake.waitForCalls(5, 50)).rejects.toThrow(/2 of 5/);
  });
});
