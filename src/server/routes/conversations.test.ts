import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOperatorTestServer, type OperatorTestServer } from "../../../test/support/operator-server.ts";
import { eventually } from "../../../test/support/runtime-harness.ts";
import type { InboundMessage } from "../../core/channel.ts";
import { type ChannelRecord, findActiveExecution, upsertContactFromInbound } from "../../store/index.ts";
import { getErrorStatus } from "../error-status.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const handoffGraph = {
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["help"] } },
    { id: "hello", type: "text", position: { x: 0, y: 100 }, data: { text: "Connecting you to a person." } },
    { id: "human", type: "action", position: { x: 0, y: 200 }, data: { actionType: "handoff" } },
    { id: "back", type: "text", position: { x: 0, y: 300 }, data: { text: "The bot is back." } },
  ],
  edges: [
    { id: "e1", source: "start", target: "hello" },
    { id: "e2", source: "hello", target: "human" },
    { id: "e3", source: "human", target: "back" },
  ],
};

let server: OperatorTestServer;
let channelA: ChannelRecord;
const ids = { maria: "", stale: "", foreign: "" };

function inbound(from: string, text: string, name: string): InboundMessage {
  return {
    externalMessageId: `wamid.${randomUUID()}`,
    contact: { externalId: from, name },
    timestamp: Date.now(),
    kind: "text",
    text,
  };
}

beforeAll(async () => {
  server = await buildOperatorTestServer();
  channelA = await server.addChannel("a", "whatsapp");
  const channelB = await server.addChannel("b", "whatsapp");
  await server.addFlow("a", handoffGraph);
  await server.runtime.acceptInbound(channelA, [inbound("34600111222", "help", "Maria Lopez")]);
  await server.runtime.acceptInbound(channelB, [inbound("34600999999", "hi", "Globex person")]);
  await server.runtime.idle();
  const stale = await upsertContactFromInbound(server.database.db, {
    organizationId: server.orgs.a.id,
    channelId: channelA.id,
    externalId: "447700900123",
    name: "John Stale",
    at: Date.now() - 2 * DAY_MS,
  });
  ids.stale = stale.id;
  const list = (await server.call("viewer", "GET", "/api/conversations?q=maria")).json();
  ids.maria = list.results[0].contact_id;
  ids.foreign = (
    await server.call("viewer", "GET", "/api/conversations", { org: "b" })
  ).json().results[0].contact_id;
});
afterAll(async () => {
  await server.close();
});

describe("GET /api/conversations", () => {
  it("lists one row per contact with counts, the window and the active execution", async () => {
    const response = await server.call("viewer", "GET", "/api/conversations");
    expect(response.statusCode).toBe(200);
    const page = response.json();
    // The stale contact has never exchanged a stored message, so it is no conversation yet.
    expect(page.count).toBe(1);
    expect(page.results[0]).toMatchObject({
      contact_id: ids.maria,
      name: "Maria Lopez",
      channel_kind: "whatsapp",
      inbound_count: 1,
      outbound_count: 1,
      window_open: true,
      active_execution: { status: "waiting_for_input" },
    });
    expect(page.results[0].window_expires_at).toEqual(expect.any(String));
    expect(JSON.stringify(page)).not.toContain(ids.foreign);
  });

  it("searches, pages, and needs a session", async () => {
    expect((await server.call("viewer", "GET", "/api/conversations?q=nobody")).json().count).toBe(0);
    expect((await server.call("viewer", "GET", "/api/conversations?page_size=0")).statusCode).toBe(400);
    expect((await server.call(null, "GET", "/api/conversations")).statusCode).toBe(401);
  });
});

describe("GET /api/conversations/{contactId}", () => {
  it("merges received and sent messages, oldest first, with delivery statuses", async () => {
    const response = await server.call("viewer", "GET", `/api/conversations/${ids.maria}`);
    expect(response.statusCode).toBe(200);
    const detail = response.json();
    expect(detail).toMatchObject({ contact_id: ids.maria, window_open: true });
    expect(
      detail.messages.map((m: { direction: string; text: string }) => `${m.direction}:${m.text}`),
    ).toEqual(["inbound:help", "outbound:Connecting you to a person."]);
    expect(detail.messages[0]).toMatchObject({ kind: "text", status: "received" });
    expect(detail.messages[1]).toMatchObject({ kind: "text", status: "sent", error_code: null });
  });

  it("shows a closed window and a permanent failure with its error code", async () => {
    server.sender.decide = (to) =>
      to === "447700900123"
        ? { ok: false, retryable: false, code: "WA_RECIPIENT_UNAVAILABLE", message: "Not on WhatsApp" }
        : undefined;
    const template = { template: { name: "order_update", language: "en", params: ["A1"] } };
    const sent = await server.call("editor", "POST", `/api/conversations/${ids.stale}/reply`, {
      payload: template,
    });
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toMatchObject({ success: true, windowOpen: false });
    await server.runtime.idle();
    const detail = (await server.call("viewer", "GET", `/api/conversations/${ids.stale}`)).json();
    expect(detail.window_open).toBe(false);
    expect(detail.messages).toEqual([
      expect.objectContaining({
        direction: "outbound",
        kind: "template",
        status: "failed",
        error_code: "WA_RECIPIENT_UNAVAILABLE",
      }),
    ]);
    server.sender.decide = undefined;
  });

  it("answers 404 for another organization's contact", async () => {
    expect((await server.call("viewer", "GET", `/api/conversations/${ids.foreign}`)).statusCode).toBe(404);
  });
});

describe("POST /api/conversations/{contactId}/reply", () => {
  it("queues free-form text inside the window", async () => {
    const response = await server.call("editor", "POST", `/api/conversations/${ids.maria}/reply`, {
      payload: { text: "Hi Maria, Ana here." },
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      success: true,
      outbound_id: expect.any(Number),
      windowOpen: true,
    });
    await eventually(() => server.sender.textsTo("34600111222").includes("Hi Maria, Ana here."));
  });

  it("refuses free-form content once the window closed (WA_TEMPLATE_REQUIRED)", async () => {
    for (const payload of [
      { text: "Are you there?" },
      { media: { type: "image", url: "https://example.test/a.png", caption: "Look" } },
    ]) {
      const response = await server.call("editor", "POST", `/api/conversations/${ids.stale}/reply`, {
        payload,
      });
      expect(response.statusCode).toBe(getErrorStatus("WA_TEMPLATE_REQUIRED"));
      expect(response.json().code).toBe("WA_TEMPLATE_REQUIRED");
    }
  });

  it("validates the body, the role and the organization", async () => {
    const url = `/api/conversations/${ids.maria}/reply`;
    expect((await server.call("editor", "POST", url, { payload: { text: "" } })).statusCode).toBe(400);
    expect((await server.call("editor", "POST", url, { payload: { text: "a", media: {} } })).statusCode).toBe(
      400,
    );
    expect(
      (await server.call("editor", "POST", url, { payload: { media: { type: "gif", url: "x" } } }))
        .statusCode,
    ).toBe(400);
    expect((await server.call("viewer", "POST", url, { payload: { text: "hi" } })).statusCode).toBe(403);
    expect((await server.call(null, "POST", url, { payload: { text: "hi" } })).statusCode).toBe(401);
    const foreign = `/api/conversations/${ids.foreign}/reply`;
    expect((await server.call("editor", "POST", foreign, { payload: { text: "hi" } })).statusCode).toBe(404);
  });
});

describe("POST /api/conversations/{contactId}/handback", () => {
  it("resumes the flow after a handoff", async () => {
    expect((await server.call("viewer", "POST", `/api/conversations/${ids.maria}/handback`)).statusCode).toBe(
      403,
    );
    expect(
      (await server.call("editor", "POST", `/api/conversations/${ids.foreign}/handback`)).statusCode,
    ).toBe(404);
    const response = await server.call("editor", "POST", `/api/conversations/${ids.maria}/handback`);
    expect(response.statusCode).toBe(202);
    await eventually(() => server.sender.textsTo("34600111222").includes("The bot is back."));
    await server.runtime.idle();
    expect(await findActiveExecution(server.database.db, server.orgs.a.id, ids.maria)).toBeNull();
  });
});
