/**
 * The process's channels: makes sure the standard ones exist (web simulator, the environment's WhatsApp
 * number and Telegram bot), and is the runtime's ChannelDirectory: one sender per channel row, built
 * from its sealed credentials, rebuilt when the row changes, failing permanently when credentials lack.
 */
import { createTelegramSender } from "../channels/telegram/index.ts";
import type { WebChannel } from "../channels/web/index.ts";
import { createWhatsAppSender, graphThreadWorkerUrl } from "../channels/whatsapp/index.ts";
import type { ChannelKind, ChannelSender } from "../core/channel.ts";
import type { ChannelDirectory } from "../runtime/runtime-types.ts";
import {
  type ChannelRecord,
  createChannel,
  type Database,
  findChannelByExternalId,
  getDefaultBot,
  listChannels,
  type SecretBox,
  updateChannel,
} from "../store/index.ts";
import { type ChannelSecrets, readChannelSecrets, sealChannelSecrets } from "./channel-secrets.ts";
import type { Config } from "./config.ts";

const DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org";
/** The compiled server sends WhatsApp requests from a worker thread (graph-thread.ts); tsx does not. */
const GRAPH_THREAD = graphThreadWorkerUrl();

export interface ChannelDirectoryOptions {
  config: Pick<Config, "whatsapp" | "whatsappGraph" | "telegram">;
  secretBox: SecretBox;
  /** The process's one web simulator channel, shared by every web channel row. */
  webChannel: WebChannel;
}

export interface ClosableChannelDirectory extends ChannelDirectory {
  /** Closes every sender built so far (their HTTP pools); the shared web channel is left to its owner. */
  close(): Promise<void>;
}

/**
 * Creates the directory the runtime and webhook routes ask for senders.
 * @example const directory = createChannelDirectory({ config, secretBox, webChannel: createWebChannel() });
 */
export function createChannelDirectory(options: ChannelDirectoryOptions): ClosableChannelDirectory {
  const cache = new Map<string, { updatedAt: number; sender: ChannelSender }>();

  return {
    senderFor(channel) {
      if (channel.kind === "web") return options.webChannel;
      const cached = cache.get(channel.id);
      if (cached && cached.updatedAt === channel.updatedAt) return cached.sender;
      // Credentials changed: the old sender may still finish a send, so close it in the background.
      if (cached) void closeQuietly(cached.sender);
      const sender = buildSender(channel, options);
      cache.set(channel.id, { updatedAt: channel.updatedAt, sender });
      return sender;
    },
    async close() {
      const senders = [...cache.values()].map((entry) => entry.sender);
      cache.clear();
      await Promise.all(senders.map(closeQuietly));
    },
  };
}

/**
 * Every organization gets a web simulator channel; the WhatsApp number and Telegram bot configured in
 * the environment become channels of the first organization, their secrets refreshed from the env.
 */
export async function ensureChannels(
  database: Database,
  secretBox: SecretBox,
  config: Config,
): Promise<void> {
  const organizations = await database.db
    .selectFrom("organizations")
    .select("id")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  for (const { id } of organizations) {
    if ((await listChannels(database.db, id, { kind: "web" })).length > 0) continue;
    await createChannel(database.db, {
      organizationId: id,
      botId: (await getDefaultBot(database.db, id))?.id ?? null,
      kind: "web",
      name: "Web simulator",
      at: Date.now(),
    });
  }
  const first = organizations[0]?.id;
  if (!first) return;
  const env = { database, secretBox, organizationId: first };
  if (config.whatsapp) {
    const { phoneNumberId, token, appSecret, verifyToken } = config.whatsapp;
    const secrets: ChannelSecrets = { kind: "whatsapp", token, appSecret, verifyToken };
    await ensureEnvironmentChannel(env, "WhatsApp (environment)", phoneNumberId, secrets);
  }
  if (config.telegram) {
    const { botToken, webhookSecret } = config.telegram;
    const botId = botToken.split(":")[0] ?? botToken;
    await ensureEnvironmentChannel(env, "Telegram (environment)", botId, {
      kind: "telegram",
      botToken,
      webhookSecret,
    });
  }
}

async function ensureEnvironmentChannel(
  env: { database: Database; secretBox: SecretBox; organizationId: string },
  name: string,
  externalId: string,
  secrets: ChannelSecrets,
): Promise<void> {
  const { db } = env.database;
  const kind: ChannelKind = secrets.kind;
  const secretsEncrypted = sealChannelSecrets(secrets, env.secretBox);
  const existing = await findChannelByExternalId(db, kind, externalId);
  if (!existing) {
    const botId = (await getDefaultBot(db, env.organizationId))?.id ?? null;
    const fields = { organizationId: env.organizationId, botId, kind, name, externalId, secretsEncrypted };
    await createChannel(db, { ...fields, at: Date.now() });
    return;
  }
  if (sameSecrets(existing, secrets, env.secretBox)) return;
  await updateChannel(db, existing.organizationId, existing.id, { secretsEncrypted, at: Date.now() });
}

function sameSecrets(channel: ChannelRecord, wanted: ChannelSecrets, box: SecretBox): boolean {
  let stored: Record<string, unknown>;
  try {
    stored = { ...readChannelSecrets(channel, box) };
  } catch {
    return false; // sealed with an older key: re-seal with the current one
  }
  const expected: Record<string, unknown> = { ...wanted };
  const keys = new Set([...Object.keys(stored), ...Object.keys(expected)]);
  return [...keys].every((key) => stored[key] === expected[key]);
}

function buildSender(channel: ChannelRecord, options: ChannelDirectoryOptions): ChannelSender {
  let secrets: ReturnType<typeof readChannelSecrets>;
  try {
    secrets = readChannelSecrets(channel, options.secretBox);
  } catch (error) {
    return createUnconfiguredSender(channel.kind, error instanceof Error ? error.message : String(error));
  }
  const { config } = options;
  if (secrets.kind === "whatsapp") {
    const missing = [
      ...(channel.externalId ? [] : ["the phone_number_id"]),
      ...(secrets.token ? [] : ["the access token"]),
    ];
    if (missing.length > 0) {
      return createUnconfiguredSender("whatsapp", describeMissing(channel, missing));
    }
    return createWhatsAppSender({
      graphUrl: config.whatsappGraph.graphUrl,
      apiVersion: config.whatsappGraph.graphApiVersion,
      phoneNumberId: channel.externalId ?? "",
      accessToken: secrets.token ?? "",
      ...(GRAPH_THREAD ? { threadWorkerUrl: GRAPH_THREAD } : {}),
    });
  }
  if (secrets.kind === "telegram") {
    if (!secrets.botToken)
      return createUnconfiguredSender("telegram", describeMissing(channel, ["the bot token"]));
    return createTelegramSender({
      apiUrl: config.telegram?.apiUrl ?? DEFAULT_TELEGRAM_API_URL,
      botToken: secrets.botToken,
    });
  }
  return options.webChannel;
}

/** A sender that refuses every message with the reason, so the outbox row fails with a clear error. */
export function createUnconfiguredSender(kind: ChannelKind, reason: string): ChannelSender {
  return {
    kind,
    enforcesWindow: kind === "whatsapp",
    async send() {
      return { ok: false, retryable: false, code: "CHANNEL_SEND_FAILED", message: reason };
    },
  };
}

function describeMissing(channel: ChannelRecord, missing: string[]): string {
  return `Channel "${channel.name}" (${channel.id}) cannot send: ${missing.join(" and ")} ${
    missing.length > 1 ? "are" : "is"
  } not set (PUT /api/channels/${channel.id}).`;
}

async function closeQuietly(sender: ChannelSender): Promise<void> {
  try {
    await sender.close?.();
  } catch {
    // A sender that fails to close holds nothing we could still release.
  }
}
