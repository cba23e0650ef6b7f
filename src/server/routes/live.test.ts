import { randomBytes, randomUUID } from "node:crypto";
import { createConnection } from "node:net";
import { WebSocket } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildOperatorTestServer,
  type OperatorTestServer,
  questionGraph,
} from "../../../test/support/operator-server.ts";
import { eventually } from "../../../test/support/runtime-harness.ts";
import type { ChannelRecord } from "../../store/index.ts";

interface Frame {
  type: string;
  data: Record<string, unknown>;
}

let server: OperatorTestServer;
let baseUrl = "";
let channelA: ChannelRecord;
let channelB: ChannelRecord;
const flows = { a: "", b: "" };

beforeAll(async () => {
  server = await buildOperatorTestServer();
  channelA = await server.addChannel("a", "whatsapp");
  channelB = await server.addChannel("b", "whatsapp");
  flows.a = (await server.addFlow("a", questionGraph(["hello"]))).id;
  flows.b = (await server.addFlow("b", questionGraph(["hello"]))).id;
  baseUrl = (await server.app.listen({ port: 0, host: "127.0.0.1" })).replace(/^http/, "ws");
});
afterAll(async () => {
  await server.close();
});

/** Opens /api/live as the org-a viewer and collects every frame it receives. */
async function connect(): Promise<{ socket: WebSocket; frames: Frame[] }> {
  const socket = new WebSocket(`${baseUrl}/api/live`, { headers: { cookie: await server.cookie("viewer") } });
  const frames: Frame[] = [];
  socket.addEventListener("message", (event) => frames.push(JSON.parse(String(event.data))));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener("open", () => resolve());
    socket.addEventListener("error", () => reject(new Error("websocket failed to open")));
  });
  return { socket, frames };
}

function hello(from: string) {
  return {
    externalMessageId: `wamid.${randomUUID()}`,
    contact: { externalId: from },
    timestamp: Date.now(),
    kind: "text" as const,
    text: "hello",
  };
}

describe("GET /api/live", () => {
  it("forwards execution updates of subscribed flows, shaped as seed 000's payload", async () => {
    const { socket, frames } = await connect();
    socket.send(JSON.stringify({ type: "subscribe", flow_id: flows.a }));
    socket.send(JSON.stringify({ type: "subscribe", flow_id: flows.b })); // another organization's flow
    await eventually(() => frames.filter((frame) => frame.type === "subscribed").length === 2);

    await server.runtime.acceptInbound(channelB, [hello("34600000009")]);
    await server.runtime.acceptInbound(channelA, [hello("34600000001")]);
    await eventually(() => frames.some((frame) => frame.data.status === "waiting_for_input"));
    const update = frames.find(
      (frame) => frame.type === "execution_update" && frame.data.status === "waiting_for_input",
    );
    expect(update?.data).toEqual({
      event: expect.any(String),
      execution_id: expect.any(String),
      flow_id: flows.a,
      contact_id: expect.any(String),
      status: "waiting_for_input",
      current_node_id: "ask",
      visited_nodes: ["start", "ask"],
      timestamp: expect.any(String),
    });
    await server.runtime.idle();
    const updates = frames.filter((frame) => frame.type === "execution_update");
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((frame) => frame.data.flow_id === flows.a)).toBe(true);
    expect(frames.some((frame) => frame.type === "message_update")).toBe(false);
    socket.close();
  });

  it("forwards message updates of a subscribed contact, and stops after unsubscribe", async () => {
    const { socket, frames } = await connect();
    socket.send(JSON.stringify({ type: "subscribe" }));
    await eventually(() => frames.some((frame) => frame.type === "error"));
    expect(frames[0]).toMatchObject({ type: "error", data: { code: "VALIDATION_FAILED" } });

    await server.runtime.acceptInbound(channelA, [hello("34600000002")]);
    await server.runtime.idle();
    const list = (await server.call("viewer", "GET", "/api/conversations?q=34600000002")).json();
    const contactId: string = list.results[0].contact_id;
    socket.send(JSON.stringify({ type: "subscribe", contact_id: contactId }));
    await eventually(() => frames.some((frame) => frame.type === "subscribed"));
    await server.call("editor", "POST", `/api/conversations/${contactId}/reply`, {
      payload: { text: "Hi!" },
    });
    await eventually(() =>
      frames.some((frame) => frame.type === "message_update" && frame.data.status === "sent"),
    );
    expect(frames.find((frame) => frame.type === "message_update")?.data).toMatchObject({
      contact_id: contactId,
      message_id: expect.any(Number),
      error_code: null,
    });

    socket.send(JSON.stringify({ type: "unsubscribe", contact_id: contactId }));
    await eventually(() => frames.some((frame) => frame.type === "unsubscribed"));
    const seen = frames.length;
    await server.call("editor", "POST", `/api/conversations/${contactId}/reply`, {
      payload: { text: "Again" },
    });
    await server.runtime.idle();
    expect(frames.length).toBe(seen);
    socket.close();
  });

  it("refuses an upgrade without a session (401) and with a bad token", async () => {
    expect(await upgradeStatus({})).toBe(401);
    expect(await upgradeStatus({ authorization: "Bearer not-a-token" })).toBe(401);
    expect(await upgradeStatus({ cookie: await server.cookie("viewer") })).toBe(101);
    const socket = new WebSocket(`${baseUrl}/api/live`);
    const outcome = await new Promise<string>((resolve) => {
      socket.addEventListener("open", () => resolve("open"));
      socket.addEventListener("error", () => resolve("error"));
    });
    expect(outcome).toBe("error");
  });
});

/** The status of a raw upgrade request's answer (101 when the socket opens). */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  const lines = Object.entries({
    host: `${hostname}:${port}`,
    connection: "Upgrade",
    upgrade: "websocket",
    "sec-websocket-version": "13",
    "sec-websocket-key": randomBytes(16).toString("base64"),
    ...headers,
  }).map(([name, value]) => `${name}: ${value}\r\n`);
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(port), hostname, () =>
      socket.write(`GET /api/live HTTP/1.1\r\n${lines.join("")}\r\n`),
    );
    socket.once("data", (chunk) => {
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString())?.[1] ?? 0));
    });
    socket.on("error", reject);
  });
}
