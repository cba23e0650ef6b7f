import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type ParleyApp } from "../src/server/app.ts";
import { loadConfig } from "../src/server/config.ts";
import { ensureUiBuilt, launchChromium, logIn, openWatchedPage, saveFailureShot } from "./support/browser.ts";

const SHOTS = process.env.PARLEY_UI_SHOTS;
const ADMIN = { email: "owner@example.com", password: "correct horse battery" };
const SECRETS = {
  access_token: "EAAG-test-access-token-5f1c9e",
  app_secret: "app-secret-8d2b7a41",
  verify_token: "verify-token-3c6e0f",
};

let parley: ParleyApp;
let baseUrl: string;
let browser: Browser;
let dataDir: string;
let graph: Server;
/** What the stub WhatsApp Graph API was asked to send. */
const graphRequests: unknown[] = [];

beforeAll(async () => {
  ensureUiBuilt();
  // A stand-in for Meta's Graph API, so WhatsApp sends stay on this machine and succeed.
  graph = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      graphRequests.push(body === "" ? null : JSON.parse(body));
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          messaging_product: "whatsapp",
          messages: [{ id: `wamid.ui-${graphRequests.length}` }],
        }),
      );
    });
  });
  await new Promise<void>((done) => graph.listen(0, "127.0.0.1", done));
  const graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`;
  dataDir = await mkdtemp(join(tmpdir(), "parley-ui-operator-"));
  const config = loadConfig(
    {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_EMAIL: ADMIN.email,
      PARLEY_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "error",
      WHATSAPP_GRAPH_URL: graphUrl,
    },
    { cwd: dataDir },
  );
  parley = await createApp(config, { logger: pino({ level: "silent" }) });
  baseUrl = await parley.app.listen({ port: 0, host: "127.0.0.1" });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await parley?.close();
  await new Promise((done) => (graph ? graph.close(done) : done(undefined)));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe("the operator screens in Chromium", () => {
  it("connects a channel, adds a member, creates API access, and replies in a conversation", async () => {
    const demoFlowId = parley.firstStart?.demoFlowId;
    if (!demoFlowId) throw new Error("the first start created no demo flow");
    const { page, problems } = await openWatchedPage(browser);
    try {
      await logIn(page, baseUrl, ADMIN);
      await page.getByTestId("org-name").waitFor();
      await expect.poll(() => page.getByTestId("current-role").textContent()).toBe("owner");

      // Settings → Channels: connect a WhatsApp number; its secrets show as "set", never their values.
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("settings-channels").waitFor();
      await page.getByTestId("channels-create").click();
      await page.getByTestId("channel-kind").selectOption("whatsapp");
      await page.getByTestId("channel-name").fill("Support line");
      await page.getByTestId("channel-field-phone_number_id").fill("106540352242922");
      await page.getByTestId("channel-field-business_account_id").fill("102290129340398");
      for (const [name, value] of Object.entries(SECRETS)) {
        await page.getByTestId(`channel-field-${name}`).fill(value);
      }
      await page.getByTestId("channel-submit").click();
      const channelRow = page.locator('[data-testid^="channel-row-"]', { hasText: "Support line" });
      await channelRow.waitFor({ timeout: 10_000 });
      const channelId = ((await channelRow.getAttribute("data-testid")) ?? "").replace("channel-row-", "");
      for (const name of Object.keys(SECRETS)) {
        await expect
          .poll(() => page.getByTestId(`channel-secret-${channelId}-${name}`).textContent())
          .toBe("set");
      }
      expect(await page.getByTestId(`channel-webhook-${channelId}`).textContent()).toContain(
        `/api/webhook/whatsapp/${channelId}`,
      );
      const pageText = (await page.locator("body").textContent()) + (await page.content());
      for (const value of Object.values(SECRETS)) expect(pageText).not.toContain(value);
      await shot(page, "settings-channels");

      // Members: add an editor.
      await page.getByTestId("settings-tab-members").click();
      await page.getByTestId("members-add").click();
      await page.getByTestId("member-email").fill("editor@example.com");
      await page.getByTestId("member-name").fill("Eddie Editor");
      await page.getByTestId("member-password").fill("a long editor password");
      await page.getByTestId("member-role").selectOption("editor");
      await page.getByTestId("member-submit").click();
      const memberRow = page.locator('[data-testid^="member-row-"][data-email="editor@example.com"]');
      await memberRow.waitFor({ timeout: 10_000 });
      expect(await memberRow.locator('select[data-testid^="member-role-"]').inputValue()).toBe("editor");
      await shot(page, "settings-members");

      // API access: create (the key is shown once), approve; the key then works for a token.
      await page.getByTestId("settings-tab-api-access").click();
      await page.getByTestId("api-access-create").click();
      const apiKey = (await page.getByTestId("api-access-key").textContent()) ?? "";
      const clientId = (await page.getByTestId("api-access-new-client-id").textContent()) ?? "";
      expect(apiKey.length).toBeGreaterThan(16);
      await expect
        .poll(() => page.getByTestId("api-access-status").textContent())
        .toBe("Waiting for approval");
      await shot(page, "settings-api-access-key");
      await page.getByTestId("api-access-approve").click();
      await expect.poll(() => page.getByTestId("api-access-status").textContent()).toBe("Approved");
      await page.getByTestId("api-access-key-dismiss").click();
      expect(await page.locator("body").textContent()).not.toContain(apiKey);
      const token = await fetch(`${baseUrl}/api/auth/api-token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ clientId, apiKey }),
      });
      expect(token.status).toBe(200);
      await shot(page, "settings-api-access");

      // Conversations: a simulator chat on the demo flow (the web channel has no 24 h window).
      const started = await page.request.post(`${baseUrl}/api/simulator/sessions`, {
        data: { flow_id: demoFlowId },
      });
      expect(started.status()).toBe(201);
      const session = (await started.json()) as { session_id: string; contact_id: string };
      const said = await page.request.post(
        `${baseUrl}/api/simulator/sessions/${session.session_id}/messages`,
        {
          data: { text: "hi" },
        },
      );
      expect(said.status()).toBe(202);

      await page.getByTestId("nav-conversations").click();
      const row = page.getByTestId(`conversation-row-${session.contact_id}`);
      await row.waitFor({ timeout: 10_000 });
      await shot(page, "conversations");
      await row.click();
      const transcript = page.getByTestId("conversation-transcript");
      await transcript.getByText("I'm Parley's demo bot", { exact: false }).waitFor({ timeout: 10_000 });
      await transcript.locator('[data-direction="inbound"]', { hasText: "hi" }).first().waitFor();
      const ticks = transcript.locator('[data-testid^="message-status-"]');
      await expect
        .poll(
          async () => {
            const statuses = await ticks.evaluateAll((nodes) =>
              nodes.map((node) => node.getAttribute("data-status")),
            );
            return (
              statuses.length > 0 &&
              statuses.every((status) => ["sent", "delivered", "read"].includes(status ?? ""))
            );
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      expect(await page.getByTestId("conversation-window").getAttribute("data-open")).toBe("true");

      await page.getByTestId("reply-input").fill("Hello from a human operator");
      await page.getByTestId("reply-send").click();
      const reply = transcript.locator('[data-direction="outbound"]', {
        hasText: "Hello from a human operator",
      });
      await reply.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => reply.locator('[data-testid^="message-status-"]').getAttribute("data-status"), {
          timeout: 10_000,
        })
        .toMatch(/^(sent|delivered|read)$/);
      expect(await page.getByTestId("reply-input").inputValue()).toBe("");
      await shot(page, "conversation");

      // Templates, then a WhatsApp contact who never wrote: the window is closed, so only a template goes.
      await page.getByTestId("nav-settings").click();
      await page.getByTestId("settings-tab-templates").click();
      await page.getByTestId("templates-create").click();
      await page.getByTestId("template-name").fill("order_update");
      await page.getByTestId("template-language").fill("en");
      await page.getByTestId("template-body").fill("Order {{1}} is {{2}}");
      await page.getByTestId("template-submit").click();
      await page.locator('[data-testid^="template-row-"]', { hasText: "order_update" }).waitFor();
      await shot(page, "settings-templates");
      const outbound = await page.request.post(`${baseUrl}/api/webhook/outbound`, {
        data: { flow_id: demoFlowId, phone: "+34 600 123 456", name: "Maria", channel_id: channelId },
      });
      expect(outbound.status()).toBe(202);
      const { contact_id: maria } = (await outbound.json()) as { contact_id: string };
      await page.goto(`${baseUrl}/#/conversations/${maria}`);
      await page.getByTestId("template-picker").waitFor({ timeout: 10_000 });
      expect(await page.getByTestId("conversation-window").getAttribute("data-open")).toBe("false");
      // The demo flow's free-form greeting met the closed window: a failed tick with its error code.
      await transcript
        .locator('[data-status="failed"]', { hasText: "WA_WINDOW_CLOSED" })
        .first()
        .waitFor({ timeout: 10_000 });
      await page.getByTestId("template-select").selectOption({ label: "order_update (en)" });
      await page.getByTestId("template-param-0").fill("ORD-1");
      await page.getByTestId("template-param-1").fill("shipped");
      await page.getByTestId("template-send").click();
      const sentTemplate = transcript.locator('[data-direction="outbound"]', { hasText: "ORD-1" });
      await sentTemplate.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => sentTemplate.locator('[data-testid^="message-status-"]').getAttribute("data-status"), {
          timeout: 10_000,
        })
        .toBe("sent");
      await shot(page, "conversation-whatsapp");

      // A flow waiting on a human handoff shows "Hand back to bot"; pressing it resumes the flow.
      const created = await page.request.post(`${baseUrl}/api/flows`, {
        data: {
          name: "Handoff",
          nodes: [
            { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["agent"] } },
            {
              id: "human",
              type: "action",
              position: { x: 0, y: 120 },
              data: { actionType: "handoff", message: "An agent will join" },
            },
            { id: "back", type: "text", position: { x: 0, y: 240 }, data: { text: "The bot is back." } },
          ],
          edges: [
            { id: "e1", source: "start", target: "human" },
            { id: "e2", source: "human", target: "back" },
          ],
        },
      });
      expect(created.status()).toBe(201);
      const handoffFlow = (await created.json()) as { id: string };
      const handoffSession = await page.request.post(`${baseUrl}/api/simulator/sessions`, {
        data: { flow_id: handoffFlow.id },
      });
      expect(handoffSession.status()).toBe(201);
      const { contact_id: handoffContact } = (await handoffSession.json()) as { contact_id: string };
      await page.goto(`${baseUrl}/#/conversations/${handoffContact}`);
      await page.getByTestId("handback").waitFor({ timeout: 10_000 });
      await shot(page, "conversation-handoff");
      await page.getByTestId("handback").click();
      await transcript.getByText("The bot is back.").waitFor({ timeout: 10_000 });
      await page.getByTestId("handback").waitFor({ state: "detached", timeout: 10_000 });
      expect(problems).toEqual([]);
    } catch (error) {
      await saveFailureShot(page, "e2e-ui-operator-failure");
      throw error;
    } finally {
      await page.close();
    }
  }, 90_000);
});
