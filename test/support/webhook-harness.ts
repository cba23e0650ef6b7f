/**
 * A server with the webhook routes over an in-memory SQLite store, two WhatsApp channels, one Telegram
 * channel (secrets sealed), the environment-configured number and a fake runtime. Plus signing helpers.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { buildServer } from "../../src/server/build-server.ts";
import { sealChannelSecrets } from "../../src/server/channel-secrets.ts";
import { loadConfig } from "../../src/server/config.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { createSeed004WebhookRoutes } from "../../src/server/routes/webhook-seed004.ts";
import { createTelegramWebhookRoutes } from "../../src/server/routes/webhooks-telegram.ts";
import { createWhatsAppWebhookRoutes } from "../../src/server/routes/webhooks-whatsapp.ts";
import {
  type ChannelRecord,
  createChannel,
  createOrganization,
  createSecretBox,
  type Database,
  migrateToLatest,
  openDatabase,
  type SecretBox,
} from "../../src/store/index.ts";
import { createFakeRuntime, createRecordingDirectory, type FakeRuntime } from "./fake-runtime.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SECRET_KEY = "22".repeat(32);

/** The number of the sample payloads (`metadata.phone_number_id`). */
export const SAMPLE_NUMBER = "106000000000001";
export const OTHER_NUMBER = "106000000000002";
export const SECRETS = {
  wa: { token: "wa-token", appSecret: "wa-app-secret", verifyToken: "wa-verify" },
  waOther: { token: "wa2-token", appSecret: "wa2-app-secret", verifyToken: "wa2-verify" },
  telegram: { botToken: "123456:TEST-token", webhookSecret: "tg_secret-1" },
  env: { appSecret: "env-app-secret", verifyToken: "env-verify" },
} as const;

export interface WebhookHarness {
  app: FastifyInstance;
  runtime: FakeRuntime;
  directory: ReturnType<typeof createRecordingDirectory>;
  database: Database;
  secretBox: SecretBox;
  channels: { wa: ChannelRecord; waOther: ChannelRecord; telegram: ChannelRecord };
  close(): Promise<void>;
}

/** Starts the harness; `env` overrides the environment (e.g. WHATSAPP_APP_SECRET: "" to unset it). */
export async function startWebhookHarness(
  options: { env?: Record<string, string>; failingSender?: boolean } = {},
): Promise<WebhookHarness> {
  const cwd = mkdtempSync(join(tmpdir(), "parley-webhooks-"));
  const config = loadConfig(
    {
      PARLEY_SECRET_KEY: SECRET_KEY,
      LOG_LEVEL: "silent",
      WHATSAPP_TOKEN: "env-token",
      PHONE_NUMBER_ID: SAMPLE_NUMBER,
      VERIFY_TOKEN: SECRETS.env.verifyToken,
      WHATSAPP_APP_SECRET: SECRETS.env.appSecret,
      ...options.env,
    },
    { cwd },
  );
  const database = await openDatabase({ url: ":memory:", dataDir: cwd });
  await migrateToLatest(database.db);
  const secretBox = createSecretBox(config.security.secretKey);
  const org = await createOrganization(database.db, { name: "Acme", at: 1 });
  const add = (kind: "whatsapp" | "telegram", externalId: string, sealed: string) =>
    createChannel(database.db, {
      organizationId: org.id,
      kind,
      name: externalId,
      externalId,
      secretsEncrypted: sealed,
      at: 1,
    });
  const channels = {
    wa: await add(
      "whatsapp",
      SAMPLE_NUMBER,
      sealChannelSecrets({ kind: "whatsapp", ...SECRETS.wa }, secretBox),
    ),
    waOther: await add(
      "whatsapp",
      OTHER_NUMBER,
      sealChannelSecrets({ kind: "whatsapp", ...SECRETS.waOther }, secretBox),
    ),
    telegram: await add(
      "telegram",
      "7000000001",
      sealChannelSecrets({ kind: "telegram", ...SECRETS.telegram }, secretBox),
    ),
  };
  const runtime = createFakeRuntime();
  const directory = createRecordingDirectory({ failing: options.failingSender ?? false });
  const logger = pino({ level: "silent" });
  const routeOptions = { runtime, directory, database, secretBox, config, logger };
  const app = await buildServer({
    config,
    logger,
    checkDatabase: async () => true,
    metricsRegistry: createMetrics().registry,
    authenticateUser: async () => null,
    findUser: async () => null,
    exchangeApiKey: async () => null,
    plugins: [
      createWhatsAppWebhookRoutes(routeOptions),
      createTelegramWebhookRoutes(routeOptions),
      createSeed004WebhookRoutes(routeOptions),
    ],
  });
  return {
    app,
    runtime,
    directory,
    database,
    secretBox,
    channels,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The X-Hub-Signature-256 header Meta would send for these bytes. */
export function signWhatsApp(body: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** The text of a WhatsApp fixture, e.g. "01-inbound-text.json". */
export function readWhatsAppFixture(name: string): string {
  return readFileSync(join(ROOT, "src/channels/whatsapp/fixtures", name), "utf8");
}

/** The text of a Telegram sample, e.g. "01-update-message-text.json". */
export function readTelegramSample(name: string): string {
  return readFileSync(join(ROOT, "src/channels/telegram/samples", name), "utf8");
}

/** Headers for a signed WhatsApp POST. */
export function signedHeaders(body: string | Buffer, appSecret: string): Record<string, string> {
  return { "content-type": "application/json", "x-hub-signature-256": signWhatsApp(body, appSecret) };
}
