/**
 * Channel connections. Credentials are sealed through channel-secrets.ts (the format the webhook
 * routes read) and never leave the server; the API only says which are set. A phone number or
 * Telegram bot can be connected once across all organizations.
 */
import type { ChannelKind } from "../../core/channel.ts";
import { ParleyError } from "../../core/errors.ts";
import {
  type ChannelRecord,
  createChannel,
  deleteChannel,
  findChannelByExternalId,
  getBot,
  getChannel,
  listChannels,
  type SecretBox,
  updateChannel,
} from "../../store/index.ts";
import { type ChannelSecrets, readChannelSecrets, sealChannelSecrets } from "../channel-secrets.ts";
import type { ServiceContext } from "./context.ts";
import { notFound } from "./scope.ts";

/** The credentials each kind takes, by their API names (snake_case). */
export const CHANNEL_SECRET_FIELDS = {
  whatsapp: ["access_token", "app_secret", "verify_token"],
  telegram: ["bot_token", "webhook_secret"],
  web: [],
} as const satisfies Record<ChannelKind, readonly string[]>;

/** Credentials as the API names them: `access_token`, `bot_token`, ... */
export type ApiSecrets = Record<string, string>;

export interface ChannelInput {
  kind: ChannelKind;
  name: string;
  botId?: string | null | undefined;
  /** WhatsApp phone_number_id; derived from the bot token for Telegram. */
  externalId?: string | null | undefined;
  config?: Record<string, unknown> | undefined;
  secrets: ApiSecrets;
}

export type ChannelChanges = Partial<Omit<ChannelInput, "kind">>;

/** The organization's channels. */
export function listChannelsOf(ctx: ServiceContext, organizationId: string): Promise<ChannelRecord[]> {
  return listChannels(ctx.db, organizationId);
}

/** One channel, or 404. */
export async function requireChannel(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<ChannelRecord> {
  const channel = await getChannel(ctx.db, organizationId, id);
  if (!channel) throw notFound("channel", id);
  return channel;
}

/** Connects a channel; a phone number or bot already connected anywhere answers 409. */
export async function addChannel(
  ctx: ServiceContext,
  organizationId: string,
  input: ChannelInput,
): Promise<ChannelRecord> {
  await checkBot(ctx, organizationId, input.botId);
  const secrets = mergeSecrets(input.kind, { kind: input.kind }, input.secrets);
  const externalId = deriveExternalId(input.kind, input.externalId ?? null, secrets);
  await checkUnique(ctx, input.kind, externalId, null);
  return withUniqueGuard(() =>
    createChannel(ctx.db, {
      organizationId,
      botId: input.botId ?? null,
      kind: input.kind,
      name: input.name,
      externalId,
      config: input.config ?? {},
      secretsEncrypted: sealSecrets(ctx.secretBox, secrets),
      at: ctx.now(),
    }),
  );
}

/** Changes a channel; credentials sent replace the stored ones, the others are kept. */
export async function changeChannel(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
  changes: ChannelChanges,
): Promise<ChannelRecord> {
  const current = await requireChannel(ctx, organizationId, id);
  checkFieldsFitKind(current.kind, changes);
  await checkBot(ctx, organizationId, changes.botId);
  const secrets = mergeSecrets(
    current.kind,
    readChannelSecrets(current, ctx.secretBox),
    changes.secrets ?? {},
  );
  const externalId = deriveExternalId(current.kind, changes.externalId ?? current.externalId, secrets);
  if (externalId !== current.externalId) await checkUnique(ctx, current.kind, externalId, id);
  const updated = await withUniqueGuard(() =>
    updateChannel(ctx.db, organizationId, id, {
      name: changes.name,
      botId: changes.botId,
      externalId,
      config: changes.config === undefined ? undefined : { ...current.config, ...changes.config },
      secretsEncrypted: changes.secrets === undefined ? undefined : sealSecrets(ctx.secretBox, secrets),
      at: ctx.now(),
    }),
  );
  if (!updated) throw notFound("channel", id);
  return updated;
}

/** Disconnects a channel with its contacts and conversations. */
export async function removeChannel(ctx: ServiceContext, organizationId: string, id: string): Promise<void> {
  if (!(await deleteChannel(ctx.db, organizationId, id))) throw notFound("channel", id);
}

/** Which of the kind's credentials are set, as booleans under their API names. */
export function describeSecrets(secretBox: SecretBox, channel: ChannelRecord): Record<string, boolean> {
  const secrets = readChannelSecrets(channel, secretBox);
  switch (secrets.kind) {
    case "whatsapp":
      return {
        access_token: Boolean(secrets.token),
        app_secret: Boolean(secrets.appSecret),
        verify_token: Boolean(secrets.verifyToken),
      };
    case "telegram":
      return { bot_token: Boolean(secrets.botToken), webhook_secret: Boolean(secrets.webhookSecret) };
    case "web":
      return {};
  }
}

/** Where the platform must send this channel's webhooks; null for the web simulator. */
export function buildWebhookUrl(publicUrl: string | undefined, channel: ChannelRecord): string | null {
  if (channel.kind === "web") return null;
  return `${publicUrl ?? ""}/api/webhook/${channel.kind}/${channel.id}`;
}

function checkFieldsFitKind(kind: ChannelKind, changes: ChannelChanges): void {
  const allowed: readonly string[] = CHANNEL_SECRET_FIELDS[kind];
  const misplaced = Object.keys(changes.secrets ?? {}).filter((field) => !allowed.includes(field));
  if (kind !== "whatsapp" && changes.externalId !== undefined) misplaced.push("phone_number_id");
  if (misplaced.length === 0) return;
  throw new ParleyError(
    "VALIDATION_FAILED",
    `Fields that do not apply to a ${kind} channel.`,
    misplaced.map((field) => ({ path: `body.${field}`, message: `does not apply to a ${kind} channel` })),
  );
}

/** Lays credentials sent through the API over the stored ones, in channel-secrets.ts's format. */
function mergeSecrets(kind: ChannelKind, current: ChannelSecrets, sent: ApiSecrets): ChannelSecrets {
  switch (kind) {
    case "whatsapp": {
      const base = current.kind === "whatsapp" ? current : { kind };
      return {
        kind,
        token: sent.access_token ?? base.token,
        appSecret: sent.app_secret ?? base.appSecret,
        verifyToken: sent.verify_token ?? base.verifyToken,
      };
    }
    case "telegram": {
      const base = current.kind === "telegram" ? current : { kind };
      return {
        kind,
        botToken: sent.bot_token ?? base.botToken,
        webhookSecret: sent.webhook_secret ?? base.webhookSecret,
      };
    }
    case "web":
      return { kind };
  }
}

function deriveExternalId(
  kind: ChannelKind,
  externalId: string | null,
  secrets: ChannelSecrets,
): string | null {
  if (kind !== "telegram" || secrets.kind !== "telegram") return externalId;
  // A Telegram bot token is "<bot id>:<secret>"; the bot id identifies the bot across token rotations.
  return secrets.botToken?.split(":")[0] ?? externalId;
}

function sealSecrets(secretBox: SecretBox, secrets: ChannelSecrets): string | null {
  return secrets.kind === "web" ? null : sealChannelSecrets(secrets, secretBox);
}

async function checkUnique(
  ctx: ServiceContext,
  kind: ChannelKind,
  externalId: string | null,
  selfId: string | null,
) {
  if (externalId === null) return;
  const existing = await findChannelByExternalId(ctx.db, kind, externalId);
  if (existing && existing.id !== selfId) throw duplicateChannel(kind);
}

async function withUniqueGuard<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    // Two requests racing past checkUnique: the unique constraint decides, reported the same way.
    if (isUniqueViolation(error)) throw duplicateChannel();
    throw error;
  }
}

function duplicateChannel(kind?: ChannelKind): ParleyError {
  const what = kind === "telegram" ? "Telegram bot" : "phone number";
  return new ParleyError("CONFLICT", `This ${what} is already connected to a channel.`);
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = "code" in error ? String(error.code) : "";
  return (
    code === "23505" ||
    code.startsWith("SQLITE_CONSTRAINT_UNIQUE") ||
    /unique constraint/i.test(error.message)
  );
}

async function checkBot(ctx: ServiceContext, organizationId: string, botId: string | null | undefined) {
  if (botId === undefined || botId === null) return;
  if (await getBot(ctx.db, organizationId, botId)) return;
  throw new ParleyError("VALIDATION_FAILED", "Unknown bot.", [
    { path: "body.bot_id", message: `No bot with id "${botId}" in this organization.` },
  ]);
}
