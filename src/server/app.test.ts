import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGraphApi, startFakeGraphApi } from "../../test/fakes/graph-api.ts";
import { createApp, DEFAULT_ADMIN_EMAIL, type ParleyApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { DEMO_FLOW_NAME } from "./demo-flow.ts";
import { createStaticUi } from "./static-ui.ts";

const logger = pino({ level: "silent" });
const NUMBER = "106000000000055";
const APP_SECRET = "app-test-secret";
const CUSTOMER = "15550004444";

describe("createApp", () => {
  let graph: FakeGraphApi;
  let dataDir: string;
  let parley: ParleyApp | undefined;

  const configWith = (token: string) =>
    loadConfig(
      {
        PARLEY_DATA_DIR: dataDir,
        PARLEY_SECRET_KEY: "33".repeat(32),
        WHATSAPP_TOKEN: token,
        PHONE_NUMBER_ID: NUMBER,
        VERIFY_TOKEN: "verify",
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_GRAPH_URL: graph.url,
      },
      { cwd: dataDir },
    );

  beforeAll(async () => {
    graph = await startFakeGraphApi();
    dataDir = mkdtempSync(join(tmpdir(), "parley-app-"));
  });
  afterAll(async () => {
    await parley?.close();
    await graph.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function say(message: Record<string, unknown>): Promise<number> {
    const payload = JSON.stringify(webhookWith(message));
    const signature = `sha256=${createHmac("sha256", APP_SECRET).update(payload).digest("hex")}`;
    const response = await parley?.app.inject({
      method: "POST",
      url: "/api/webhook/whatsapp",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      payload,
    });
    await parley?.runtime.idle();
    return response?.statusCode ?? 0;
  }

  it("sets up a first start: owner with a generated password, channels, the published demo flow", async () => {
    parley = await createApp(configWith("token-1"), { logger, listenForUi: false });
    expect(parley.migrations.every((report) => report.status === "applied")).toBe(true);
    const first = parley.firstStart;
    expect(first?.email).toBe(DEFAULT_ADMIN_EMAIL);
    expect(first?.generatedPassword?.length).toBeGreaterThanOrEqual(12);

    const login = await parley.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: DEFAULT_ADMIN_EMAIL, password: first?.generatedPassword },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const flows = await parley.app.inject({ method: "GET", url: "/api/flows", headers: { cookie } });
    expect(flows.json().results).toEqual([
      expect.objectContaining({ name: DEMO_FLOW_NAME, is_published: true, is_active: true }),
    ]);
    const channels = await parley.app.inject({ method: "GET", url: "/api/channels", headers: { cookie } });
    const kinds = channels.json().results.map((c: { kind: string }) => c.kind);
    expect(kinds.sort()).toEqual(["web", "whatsapp"]);
  });

  it("runs the demo flow over the environment's WhatsApp number", async () => {
    expect(await say({ type: "text", id: "wamid.app-1", text: { body: "Hi" } })).toBe(200);
    const [greeting, buttons] = graph.messagesTo(CUSTOMER);
    expect(greeting?.body).toMatchObject({
      type: "text",
      text: { body: expect.stringMatching(/^Hi there!/) },
    });
    expect(greeting?.headers.authorization).toBe("Bearer token-1");
    expect(buttons?.body).toMatchObject({ type: "interactive", interactive: { type: "button" } });

    const tap = { type: "button_reply", button_reply: { id: "opt-build", title: "Build a flow" } };
    await say({ type: "interactive", id: "wamid.app-2", interactive: tap });
    await say({ type: "text", id: "wamid.app-3", text: { body: "not an address" } });
    await say({ type: "text", id: "wamid.app-4", text: { body: "ana@example.com" } });
    const texts = graph.messagesTo(CUSTOMER).map((call) => JSON.stringify(call.body));
    expect(texts.filter((text) => /does not look like an e-mail/.test(text))).toHaveLength(1);
    expect(texts.at(-1)).toMatch(/Open Flows.*ana@example\.com/);
    const turns = await parley?.metrics.turns.get();
    expect(turns?.values[0]?.value).toBe(4);
  });

  it("starts again without a first start, refreshing the environment channel's token", async () => {
    await parley?.close();
    await parley?.close(); // idempotent
    parley = await createApp(configWith("token-2"), { logger, listenForUi: false });
    expect(parley.firstStart).toBeNull();
    expect(parley.migrations.every((report) => report.status === "already-applied")).toBe(true);
    const channels = await parley.database.db.selectFrom("channels").select("kind").execute();
    expect(channels.map((c) => c.kind).sort()).toEqual(["web", "whatsapp"]);

    graph.reset();
    await say({ type: "text", id: "wamid.app-5", text: { body: "demo" } });
    expect(graph.messagesTo(CUSTOMER)[0]?.headers.authorization).toBe("Bearer token-2");
  });
});

describe("createStaticUi", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-ui-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function serve(ui: ReturnType<typeof createStaticUi>) {
    const app = Fastify();
    await app.register(ui.plugin);
    return app;
  }

  it("serves index.html at / and the assets beside it", async () => {
    const distDir = tempDir();
    mkdirSync(join(distDir, "assets"));
    writeFileSync(join(distDir, "index.html"), "<html>builder</html>");
    writeFileSync(join(distDir, "assets", "app.js"), "console.log(1)");
    const app = await serve(createStaticUi({ logger, distDir }));
    const home = await app.inject({ url: "/" });
    expect(home.body).toBe("<html>builder</html>");
    expect(home.headers["content-type"]).toMatch(/text\/html/);
    expect((await app.inject({ url: "/assets/app.js" })).body).toBe("console.log(1)");
    expect((await app.inject({ url: "/flows/123" })).statusCode).toBe(404);
    await app.close();
  });

  it("builds a missing UI once, showing a placeholder meanwhile", async () => {
    const distDir = join(tempDir(), "dist");
    const script = `require("fs").mkdirSync(${JSON.stringify(distDir)});require("fs").writeFileSync(${JSON.stringify(join(distDir, "index.html"))},"built")`;
    const ui = createStaticUi({ logger, distDir, buildCommand: [process.execPath, "-e", script] });
    const app = await serve(ui);
    expect(ui.state()).toBe("building");
    expect((await app.inject({ url: "/" })).body).toMatch(/building its web UI/);
    await ui.settled();
    expect(ui.state()).toBe("ready");
    expect((await app.inject({ url: "/" })).body).toBe("built");
    await app.close();
  });

  it("serves a page saying how to fix it when the build fails", async () => {
    const ui = createStaticUi({
      logger,
      distDir: join(tempDir(), "dist"),
      buildCommand: [process.execPath, "-e", "process.exit(3)"],
    });
    const app = await serve(ui);
    await ui.settled();
    expect(ui.state()).toBe("failed");
    expect((await app.inject({ url: "/" })).body).toMatch(/npm run build/);
    await app.close();
  });
});

function webhookWith(message: Record<string, unknown>) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550001111", phone_number_id: NUMBER },
    contacts: [{ profile: { name: "Ana" }, wa_id: CUSTOMER }],
    messages: [{ from: CUSTOMER, timestamp, ...message }],
  };
  return {
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field: "messages", value }] }],
  };
}

describe("createApp with --role worker", () => {
  it("serves health and metrics only: no API, webhooks or UI", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "parley-worker-"));
    const config = loadConfig({ PARLEY_DATA_DIR: dataDir, PARLEY_ROLE: "worker" }, { cwd: dataDir });
    const worker = await createApp(config, { logger });
    try {
      expect((await worker.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
      expect((await worker.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
      for (const url of ["/api/flows", "/api/webhook/whatsapp", "/webhook", "/"]) {
        expect((await worker.app.inject({ method: "GET", url })).statusCode, url).toBe(404);
      }
    } finally {
      await worker.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
