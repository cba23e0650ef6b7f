import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildOperatorTestServer,
  type OperatorTestServer,
  questionGraph,
} from "../../../test/support/operator-server.ts";
import { getContact, getLead, listExecutions } from "../../store/index.ts";

let server: OperatorTestServer;
const flows = {
  survey: "",
  draft: "",
  foreign: "",
  open: "",
  apiKey: "",
  basic: "",
  bearer: "",
  hmac: "",
  locked: "",
  openDraft: "",
};
type FlowName = keyof typeof flows;
interface CredentialCase {
  name: string;
  flow: FlowName;
  good: Record<string, string>;
  bad: Record<string, string>;
}

/** Outbound starts outside the 24 h window, so the flow opens with an approved template (seed 003). */
const templateFirstGraph = {
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: [] } },
    {
      id: "greet",
      type: "template",
      position: { x: 0, y: 100 },
      data: { templateName: "order_update", language: "en", params: ["{{orderId}}"] },
    },
  ],
  edges: [{ id: "e1", source: "start", target: "greet" }],
};

function withLeadAuth(leadAuth: unknown) {
  return { ...questionGraph(["lead"]), settings: leadAuth === undefined ? {} : { leadAuth } };
}

beforeAll(async () => {
  server = await buildOperatorTestServer();
  await server.addChannel("a", "whatsapp");
  await server.addChannel("b", "whatsapp");
  flows.survey = (await server.addFlow("a", templateFirstGraph)).id;
  flows.draft = (await server.addFlow("a", questionGraph(["tea"]), { publish: false })).id;
  flows.foreign = (await server.addFlow("b", questionGraph(["tea"]))).id;
  flows.open = (await server.addFlow("a", withLeadAuth({ type: "none" }))).id;
  flows.apiKey = (await server.addFlow("a", withLeadAuth({ type: "api_key", key: "k-123" }))).id;
  flows.basic = (
    await server.addFlow("a", withLeadAuth({ type: "basic", username: "crm", password: "pw" }))
  ).id;
  flows.bearer = (await server.addFlow("a", withLeadAuth({ type: "bearer", token: "static-token" }))).id;
  flows.hmac = (await server.addFlow("a", withLeadAuth({ type: "hmac", secret: "s3cret" }))).id;
  flows.locked = (await server.addFlow("a", withLeadAuth(undefined))).id;
  flows.openDraft = (await server.addFlow("a", withLeadAuth({ type: "none" }), { publish: false })).id;
});
afterAll(async () => {
  await server.close();
});

async function outbound(payload: unknown, headers?: Record<string, string>) {
  return server.call(null, "POST", "/api/webhook/outbound", {
    payload,
    headers: headers ?? { authorization: await server.bearer() },
  });
}

describe("POST /api/webhook/outbound", () => {
  it("starts the published flow for a phone number with the given variables", async () => {
    const response = await outbound({
      flow_id: flows.survey,
      phone: "+34 600 123 456",
      name: "Maria",
      variables: { orderId: "ORD-1" },
    });
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toMatchObject({ success: true, queued: true, contact_id: expect.any(String) });
    await server.runtime.idle();
    expect(server.sender.sent.map((send) => [send.to, send.message])).toEqual([
      ["34600123456", { type: "template", name: "order_update", language: "en", params: ["ORD-1"] }],
    ]);
    const contact = await getContact(server.database.db, server.orgs.a.id, body.contact_id);
    expect(contact).toMatchObject({ externalId: "34600123456", name: "Maria", phone: "34600123456" });
    const [execution] = (
      await listExecutions(server.database.db, server.orgs.a.id, { contactId: body.contact_id })
    ).rows;
    expect(execution?.trigger).toMatchObject({ kind: "api", variables: { orderId: "ORD-1" } });
  });

  it("starts nothing new for a repeated idempotency key", async () => {
    const payload = { flow_id: flows.survey, phone: "34600555000", idempotency_key: "crm-42" };
    expect((await outbound(payload)).json().queued).toBe(true);
    expect((await outbound(payload)).json().queued).toBe(false);
  });

  it("answers 404 for unknown or foreign flows and channels, 400 for drafts and bad input", async () => {
    const unknown = await outbound({ flow_id: "nope", phone: "34600123456" });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, "FLOW_NOT_FOUND"]);
    expect((await outbound({ flow_id: flows.foreign, phone: "34600123456" })).statusCode).toBe(404);
    const channel = await outbound({ flow_id: flows.survey, phone: "34600123456", channel_id: "nope" });
    expect(channel.statusCode).toBe(404);
    const draft = await outbound({ flow_id: flows.draft, phone: "34600123456" });
    expect([draft.statusCode, draft.json().code]).toEqual([400, "VALIDATION_FAILED"]);
    expect((await outbound({ flow_id: flows.survey, phone: "call me" })).statusCode).toBe(400);
    expect((await outbound({ phone: "34600123456" })).statusCode).toBe(400);
  });

  it("needs a bearer token or an editor session", async () => {
    expect((await outbound({ flow_id: flows.survey, phone: "34600123456" }, {})).statusCode).toBe(401);
    const viewer = await server.call("viewer", "POST", "/api/webhook/outbound", {
      payload: { flow_id: flows.survey, phone: "34600123456" },
    });
    expect(viewer.statusCode).toBe(403);
  });
});

describe("POST /api/webhook/flow/{flowId}/lead", () => {
  const lead = { phone: "+34 611 000 111", name: "Lena", email: "lena@example.test", source: "website" };
  const post = (flowId: string, headers: Record<string, string> = {}, payload: unknown = lead) =>
    server.call(null, "POST", `/api/webhook/flow/${flowId}/lead`, { payload, headers });

  it("records the lead and starts the flow with the lead's fields as variables", async () => {
    const response = await post(flows.open);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body).toMatchObject({ success: true, lead_id: expect.any(String) });
    const stored = await getLead(server.database.db, server.orgs.a.id, body.lead_id);
    expect(stored).toMatchObject({ flowId: flows.open, contactId: body.contact_id, payload: lead });
    await server.runtime.idle();
    const [execution] = (
      await listExecutions(server.database.db, server.orgs.a.id, { contactId: body.contact_id })
    ).rows;
    expect(execution?.trigger).toMatchObject({
      kind: "lead",
      variables: { name: "Lena", source: "website" },
    });
    expect(execution?.status).toBe("waiting_for_input");
  });

  it.each<CredentialCase>([
    { name: "api_key", flow: "apiKey", good: { "x-api-key": "k-123" }, bad: { "x-api-key": "k-124" } },
    {
      name: "basic",
      flow: "basic",
      good: { authorization: `Basic ${Buffer.from("crm:pw").toString("base64")}` },
      bad: { authorization: `Basic ${Buffer.from("crm:nope").toString("base64")}` },
    },
    {
      name: "bearer",
      flow: "bearer",
      good: { authorization: "Bearer static-token" },
      bad: { authorization: "Bearer other-token" },
    },
  ])("checks $name credentials", async ({ flow, good, bad }) => {
    const id = flows[flow];
    expect((await post(id)).statusCode).toBe(401);
    expect((await post(id, bad)).statusCode).toBe(401);
    expect((await post(id, good)).statusCode).toBe(202);
  });

  it("checks an HMAC-SHA256 signature of the raw body", async () => {
    const signature = createHmac("sha256", "s3cret").update(JSON.stringify(lead)).digest("hex");
    expect((await post(flows.hmac, { "x-signature": signature })).statusCode).toBe(202);
    expect((await post(flows.hmac, { "x-signature": `sha256=${signature}` })).statusCode).toBe(202);
    const other = { ...lead, name: "Mallory" };
    expect((await post(flows.hmac, { "x-signature": signature }, other)).statusCode).toBe(401);
    expect((await post(flows.hmac)).statusCode).toBe(401);
  });

  it("accepts only an API token of the flow's organization when the flow has no lead settings", async () => {
    expect((await post(flows.locked)).statusCode).toBe(401);
    expect((await post(flows.locked, { authorization: await server.bearer("a") })).statusCode).toBe(202);
    expect((await post(flows.locked, { authorization: await server.bearer("b") })).statusCode).toBe(404);
    expect((await post("unknown-flow")).statusCode).toBe(401);
    expect((await post("unknown-flow", { authorization: await server.bearer("a") })).statusCode).toBe(404);
  });

  it("refuses drafts and leads without a phone", async () => {
    expect((await post(flows.openDraft)).statusCode).toBe(400);
    expect((await post(flows.open, {}, { name: "No phone" })).statusCode).toBe(400);
  });
});
