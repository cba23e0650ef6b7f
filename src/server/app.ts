/**
 * The composition root: opens and migrates the store, sets up a first start (organization, admin,
 * channels, demo flow), and wires channels, runtime, metrics, routes and the UI into one app.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { pino } from "pino";
import { createWebChannel, type WebChannel } from "../channels/web/index.ts";
import { createRuntime, type RuntimeObserver } from "../runtime/runtime.ts";
import type { Runtime } from "../runtime/runtime-types.ts";
import type { ScaleOut } from "../runtime/scale-out.ts";
import { type Database, type MigrationReport, migrateToLatest, openDatabase } from "../store/index.ts";
import { buildServer } from "./build-server.ts";
import { createChannelDirectory, ensureChannels } from "./channel-directory.ts";
import type { Config } from "./config.ts";
import { createDemoFlow } from "./demo-flow.ts";
import { createMetrics, type ParleyMetrics } from "./metrics.ts";
import { createOperatorPlugins } from "./routes/operator-routes.ts";
import { createSeed004WebhookRoutes } from "./routes/webhook-seed004.ts";
import { createTelegramWebhookRoutes } from "./routes/webhooks-telegram.ts";
import { createWhatsAppWebhookRoutes } from "./routes/webhooks-whatsapp.ts";
import type { ServiceContext } from "./services/context.ts";
import { createStaticUi, type StaticUi } from "./static-ui.ts";
import { bootstrapOrganization, createChannelSecretBox, createStoreDeps } from "./store-deps.ts";

export const DEFAULT_ADMIN_EMAIL = "admin@parley.local";
const FIRST_ORGANIZATION_NAME = "My organization";

export interface AppOptions {
  /** Default: pino at config.server.logLevel. Tests pass `pino({ level: "silent" })`. */
  logger?: FastifyBaseLogger;
  /** Serve (and, when missing, build) the builder UI at `/`; default true. In-process tests turn it off. */
  listenForUi?: boolean;
}

/** What a first start on an empty database created; the CLI prints it once. */
export interface FirstStart {
  organizationId: string;
  email: string;
  /** Only for a generated password; null when it came from PARLEY_ADMIN_PASSWORD. */
  generatedPassword: string | null;
  demoFlowId: string;
}

export interface ParleyApp {
  app: FastifyInstance;
  runtime: Runtime;
  database: Database;
  webChannel: WebChannel;
  metrics: ParleyMetrics;
  migrations: MigrationReport[];
  firstStart: FirstStart | null;
  /** Stops accepting requests, drains in-flight steps and sends, closes senders and the database. */
  close(): Promise<void>;
}

/**
 * Builds the whole of Parley from a parsed config; the caller listens (`app.listen`) and closes.
 * @example const parley = await createApp(loadConfig(process.env)); await parley.app.listen({ port: 3000 });
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<ParleyApp> {
  const logger =
    options.logger ??
    pino({ level: config.server.logLevel, redact: ["req.headers.authorization", "req.headers.cookie"] });
  const { dataDir, database: dbConfig } = config.store;
  const database = await openDatabase({
    dataDir,
    ...(dbConfig.kind === "postgres" ? { url: dbConfig.url } : {}),
    backgroundCheckpoints: true,
  });
  let ui: StaticUi | undefined;
  let scaleOut: ScaleOut | undefined;
  try {
    const migrations = await migrateToLatest(database.db);
    for (const report of migrations)
      logger.info({ migration: report.name, status: report.status }, "migration");
    const failed = migrations.find((report) => report.status === "failed");
    if (failed) throw new Error(`migration ${failed.name} failed: ${failed.error ?? "unknown error"}`);

    const secretBox = createChannelSecretBox(config.security.secretKey);
    const ctx: ServiceContext = {
      db: database.db,
      secretBox,
      publicUrl: config.server.publicUrl,
      now: Date.now,
    };
    const firstStart = await setUpFirstStart(database, ctx, config);
    await ensureChannels(database, secretBox, config);

    const metrics = createMetrics({ defaultMetrics: true });
    const webChannel = createWebChannel();
    const directory = createChannelDirectory({ config, secretBox, webChannel });
    const mediaDir = join(dataDir, "media");
    // Scale-out (DESIGN §7): with REDIS_URL the work queue, live bus and rate limit go through Redis.
    // Imported only then: BullMQ and ioredis would add ~10 MB to every embedded process.
    scaleOut = config.store.redisUrl
      ? await (await import("../runtime/scale-out.ts")).connectScaleOut({
          redisUrl: config.store.redisUrl,
          concurrency: config.runtime.workerConcurrency,
        })
      : undefined;
    const runtime = createRuntime({
      database,
      directory,
      logger,
      role: config.runtime.role,
      ...(scaleOut ? scaleOut.deps : {}),
      observer: observeInto(metrics),
      options: {
        concurrency: config.runtime.workerConcurrency,
        ratePerSecond: config.whatsappGraph.ratePerSecond,
        mediaDir,
        httpAllowlist: config.runtime.httpAllowlist,
      },
    });
    // A worker serves only /api/health and /metrics: the API, webhooks and UI belong to web processes.
    const servesHttp = config.runtime.role !== "worker";
    ui = options.listenForUi === false || !servesHttp ? undefined : createStaticUi({ logger });
    const webhookOptions = { runtime, directory, database, secretBox, config, logger };
    const storeDeps = createStoreDeps({ database, config, secretBox });
    const app = await buildServer({
      config,
      logger,
      metricsRegistry: metrics.registry,
      ...storeDeps,
      plugins: servesHttp
        ? [
            ...(storeDeps.plugins ?? []),
            createWhatsAppWebhookRoutes(webhookOptions),
            createTelegramWebhookRoutes(webhookOptions),
            createSeed004WebhookRoutes(webhookOptions),
            ...createOperatorPlugins({ database, runtime, webChannel, config, mediaDir }),
            ...(ui ? [ui.plugin] : []),
          ]
        : [],
    });
    await runtime.start();

    const staticUi = ui;
    const scaleOutInUse = scaleOut;
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await app.close();
        await runtime.stop();
        await scaleOutInUse?.close();
        await staticUi?.close();
        await directory.close();
        await webChannel.close?.();
        await database.close();
      })();
      return closing;
    };
    return { app, runtime, database, webChannel, metrics, migrations, firstStart, close };
  } catch (error) {
    await ui?.close();
    await scaleOut?.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** On an empty database: the organization, its owner (from the env or a generated password), the demo flow. */
async function setUpFirstStart(database: Database, ctx: ServiceContext, config: Config) {
  const generatedPassword = config.security.admin ? null : randomBytes(12).toString("base64url");
  const email = config.security.admin?.email ?? DEFAULT_ADMIN_EMAIL;
  const created = await bootstrapOrganization(database, {
    name: FIRST_ORGANIZATION_NAME,
    adminEmail: email,
    adminPassword: config.security.admin?.password ?? generatedPassword ?? "",
  });
  if (!created) return null;
  const demoFlowId = await createDemoFlow(ctx, created.organization.id);
  return { organizationId: created.organization.id, email, generatedPassword, demoFlowId };
}

function observeInto(metrics: ParleyMetrics): RuntimeObserver {
  return {
    inboundAccepted: (count) => metrics.inboundAccepted.inc(count),
    inboundDuplicate: (count) => metrics.inboundDuplicate.inc(count),
    turn: (durationMs) => {
      metrics.turns.inc();
      metrics.stepDuration.observe(durationMs / 1000);
    },
    outboundSent: () => metrics.outboundSent.inc(),
    outboundFailed: (code) => metrics.outboundFailed.inc({ code }),
  };
}
