/**
 * One process of the scale-out test, on a shared PostgreSQL schema and Redis prefix. `web` serves the
 * signed WhatsApp webhook (the real route) over a web-role runtime that only accepts and enqueues;
 * `worker` steps and sends to the fake Graph API. Prints `READY [url]`, then `REQUEUED <n>` whenever
 * it puts back rows a dead worker had claimed for sending. `embedded` is both in one process on the
 * SQLite store in `dataDir`, with in-process lanes (the baseline of `npm run bench:scale`).
 * Usage: node --import tsx test/support/scale-out-child.ts <web|worker|embedded> <setup.json>
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { createWhatsAppSender } from "../../src/channels/whatsapp/index.ts";
import type { ChannelSender } from "../../src/core/channel.ts";
import { createRuntime } from "../../src/runtime/runtime.ts";
import { connectScaleOut } from "../../src/runtime/scale-out.ts";
import { buildServer } from "../../src/server/build-server.ts";
import { loadConfig } from "../../src/server/config.ts";
import { createMetrics } from "../../src/server/metrics.ts";
import { createWhatsAppWebhookRoutes } from "../../src/server/routes/webhooks-whatsapp.ts";
import { createSecretBox, openDatabase } from "../../src/store/index.ts";

/** What the parent set up and every child shares. */
export interface ScaleOutSetup {
  databaseUrl: string;
  schema: string;
  redisUrl: string;
  redisPrefix: string;
  graphUrl: string;
  phoneNumberId: string;
  secretKey: string;
  /** Embedded role only: the SQLite data directory. */
  dataDir?: string;
}

const [role = "worker", setupFile = ""] = process.argv.slice(2);
const setup = JSON.parse(readFileSync(setupFile, "utf8")) as ScaleOutSetup;
const cwd = mkdtempSync(join(tmpdir(), "parley-scale-"));
const config = loadConfig(
  { PARLEY_SECRET_KEY: setup.secretKey, LOG_LEVEL: "silent", PARLEY_DATA_DIR: cwd },
  { cwd },
);
const embedded = role === "embedded";
const database = embedded
  ? await openDatabase({ dataDir: setup.dataDir ?? cwd })
  : await openDatabase({ url: setup.databaseUrl, dataDir: cwd, schema: setup.schema, poolSize: 10 });
const report = (error: unknown) => process.stderr.write(`[${role}] ${String(error)}\n`);
const scaleOut = embedded
  ? undefined
  : await connectScaleOut({
      redisUrl: setup.redisUrl,
      prefix: setup.redisPrefix,
      concurrency: 16,
      lockDurationMs: 5000,
      onError: report,
    });

const sender: ChannelSender =
  role !== "web"
    ? createWhatsAppSender({
        graphUrl: setup.graphUrl,
        apiVersion: "v23.0",
        phoneNumberId: setup.phoneNumberId,
        accessToken: "scale-token",
      })
    : {
        kind: "whatsapp",
        enforcesWindow: true,
        send: async () => ({ ok: false, retryable: true, code: "CHANNEL_UNAVAILABLE", message: "web role" }),
      };
const directory = { senderFor: () => sender, close: async () => undefined };
const runtime = createRuntime({
  database,
  directory,
  role: embedded ? "all" : role === "web" ? "web" : "worker",
  ...scaleOut?.deps,
  onRequeued: (count) => process.stdout.write(`REQUEUED ${count}\n`),
  logger: { info() {}, warn() {}, error: (object) => report(JSON.stringify(object)) },
  options: {
    concurrency: 16,
    ratePerSecond: 10_000,
    timerIntervalMs: 100,
    sweepIntervalMs: 1000,
    baseBackoffMs: 20,
    sendLeaseMs: 2000,
  },
});
await runtime.start();

let url = "";
if (role !== "worker") {
  const logger = pino({ level: "silent" });
  const secretBox = createSecretBox(config.security.secretKey);
  const app = await buildServer({
    config,
    logger,
    checkDatabase: async () => true,
    metricsRegistry: createMetrics().registry,
    authenticateUser: async () => null,
    findUser: async () => null,
    exchangeApiKey: async () => null,
    plugins: [createWhatsAppWebhookRoutes({ runtime, directory, database, secretBox, config, logger })],
  });
  url = await app.listen({ host: "127.0.0.1", port: 0 });
}
process.stdout.write(`READY ${url}\n`);

process.on("SIGTERM", () => {
  void (async () => {
    await runtime.stop();
    await scaleOut?.close();
    await database.close();
    process.exit(0);
  })();
});
