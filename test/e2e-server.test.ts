/**
 * End to end through the real process: `npm start` on a temp data dir, then log in, create and publish
 * a flow, drive it through the signed WhatsApp webhook against the fake Graph API, and read the
 * execution back through the API; SIGTERM must end the process cleanly.
 */
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "./fakes/graph-api.ts";
import { type SpawnedParley, spawnParley } from "./support/spawn-parley.ts";

const ROOT = resolve(import.meta.dirname, "..");
const ADMIN = { email: "e2e-owner@example.com", password: "e2e password long enough" };
const WA = {
  token: "e2e-graph-token",
  phoneNumberId: "106000000000077",
  verifyToken: "e2e-verify-token",
  appSecret: "e2e-app-secret",
};
const CUSTOMER = "15550009999";

const node = (id: string, type: string, y: number, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y },
  data,
});
const E2E_FLOW = {
  name: "E2E order check",
  nodes: [
    node("start", "start", 0, { keywords: ["order status"] }),
    node("hello", "text", 100, { text: "Hello {{contact.name}}!" }),
    node("ask", "question", 200, {
      type: "buttons",
      body: "Is it about your last order?",
      options: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No" },
      ],
      saveAnswerTo: "about_last",
    }),
    node("thanks", "text", 300, { text: "Thanks, checking it now." }),
    node("end", "action", 400, { actionType: "end" }),
  ],
  edges: [
    { id: "e1", source: "start", target: "hello" },
    { id: "e2", source: "hello", target: "ask" },
    { id: "e3", source: "ask", sourceHandle: "option-yes", target: "thanks" },
    { id: "e4", source: "ask", sourceHandle: "option-no", target: "end" },
    { id: "e5", source: "thanks", target: "end" },
  ],
};

describe("parley start (real process)", () => {
  let graph: FakeGraphApi;
  let parley: SpawnedParley;
  let cookie = "";

  beforeAll(async () => {
    // The server builds a missing UI itself, in the background; build it here so GET / is deterministic.
    if (!existsSync(resolve(ROOT, "web/dist/index.html"))) {
      execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "ignore" });
    }
    graph = await startFakeGraphApi({ accessToken: WA.token });
    parley = await spawnParley({
      env: {
        PARLEY_ADMIN_EMAIL: ADMIN.email,
        PARLEY_ADMIN_PASSWORD: ADMIN.password,
        WHATSAPP_TOKEN: WA.token,
        PHONE_NUMBER_ID: WA.phoneNumberId,
        VERIFY_TOKEN: WA.verifyToken,
        WHATSAPP_APP_SECRET: WA.appSecret,
        WHATSAPP_GRAPH_URL: graph.url,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await parley?.stop("SIGKILL");
    await parley?.cleanUp();
    await graph?.close();
  });

  async function api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${parley.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function postWebhook(message: Record<string, unknown>): Promise<Response> {
    const raw = JSON.stringify(whatsAppWebhook(message));
    const signature = `sha256=${createHmac("sha256", WA.appSecret).update(raw).digest("hex")}`;
    return fetch(`${parley.url}/api/webhook/whatsapp`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: raw,
    });
  }

  it("serves, runs a published flow over WhatsApp, reports it, and stops cleanly", async () => {
    expect(parley.output()).toContain("First start");

    const health = await fetch(`${parley.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", db: "ok" });
    const home = await fetch(`${parley.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toMatch(/text\/html/);
    expect(await home.text()).toMatch(/<div id="root">/);

    const login = await api("POST", "/api/auth/login", { username: ADMIN.email, password: ADMIN.password });
    expect(login.status).toBe(200);
    cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");

    const created = await api("POST", "/api/flows", E2E_FLOW);
    expect(created.status).toBe(201);
    const flow = (await created.json()) as { id: string };
    const published = await api("POST", `/api/flows/${flow.id}/publish`);
    expect(published.status).toBe(200);

    const challenge = await fetch(
      `${parley.url}/api/webhook/whatsapp?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=4242`,
    );
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe("4242");

    const text = { type: "text", id: "wamid.e2e-1", text: { body: "Order status" } };
    expect((await postWebhook(text)).status).toBe(200);
    await waitFor(() => graph.messagesTo(CUSTOMER).length >= 2);
    const [greeting, question] = graph.messagesTo(CUSTOMER);
    expect(greeting?.path).toBe(`/v23.0/${WA.phoneNumberId}/messages`);
    expect(greeting?.headers.authorization).toBe(`Bearer ${WA.token}`);
    expect(greeting?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: `+${CUSTOMER}`,
      type: "text",
      text: { body: "Hello Dana!", preview_url: false },
    });
    expect(question?.body).toMatchObject({ to: `+${CUSTOMER}`, type: "interactive" });

    const answer = {
      type: "interactive",
      id: "wamid.e2e-2",
      interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
    };
    expect((await postWebhook(answer)).status).toBe(200);
    await waitFor(() => graph.messagesTo(CUSTOMER).length >= 3);
    expect(graph.messagesTo(CUSTOMER)[2]?.body).toMatchObject({
      type: "text",
      text: { body: "Thanks, checking it now." },
    });

    const execution = await waitFor(async () => {
      const list = (await (await api("GET", `/api/executions?flow_id=${flow.id}`)).json()) as {
        results: { id: string; status: string }[];
      };
      const [first] = list.results;
      return first?.status === "completed" ? first : undefined;
    });
    const detail = await api("GET", `/api/executions/${execution.id}`);
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { variables: Record<string, unknown>; visited_nodes: string[] };
    expect(body.variables).toMatchObject({ about_last: "Yes" });
    expect(body.visited_nodes).toEqual(expect.arrayContaining(["start", "hello", "ask", "thanks", "end"]));

    const stopped = await parley.stop("SIGTERM");
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(parley.output()).toContain("Parley stopped.");
  }, 60_000);
});

function whatsAppWebhook(message: Record<string, unknown>) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550001111", phone_number_id: WA.phoneNumberId },
    contacts: [{ profile: { name: "Dana" }, wa_id: CUSTOMER }],
    messages: [{ from: CUSTOMER, timestamp, ...message }],
  };
  return {
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field: "messages", value }] }],
  };
}

/** Polls until `check` returns something truthy (10 s at most). */
async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error("timed out waiting for the condition");
    await new Promise((done) => setTimeout(done, 50));
  }
}
