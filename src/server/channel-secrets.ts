/**
 * What a channel keeps in its sealed `secretsEncrypted` column, per kind, and the only code that opens
 * or seals it; plus the by-id lookup webhook URLs need. Webhook routes read their secrets from here.
 */
import { z } from "zod";
import type { ChannelKind } from "../core/channel.ts";
import {
  type ChannelRecord,
  type Database,
  findChannelForWebhook as findChannelForWebhookInStore,
  type SecretBox,
} from "../store/index.ts";

const optionalSecret = z.string().min(1).optional().catch(undefined);

const whatsAppSecretsSchema = z.object({
  /** Graph API access token of the business number. */
  token: optionalSecret,
  /** Meta app secret: the key of X-Hub-Signature-256. */
  appSecret: optionalSecret,
  /** What the operator typed into Meta's "Verify token" field. */
  verifyToken: optionalSecret,
});

const telegramSecretsSchema = z.object({
  /** Token from @BotFather. */
  botToken: optionalSecret,
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token with every update. */
  webhookSecret: optionalSecret,
});

export type WhatsAppChannelSecrets = { kind: "whatsapp" } & z.output<typeof whatsAppSecretsSchema>;
export type TelegramChannelSecrets = { kind: "telegram" } & z.output<typeof telegramSecretsSchema>;
export type WebChannelSecrets = { kind: "web" };

/** A channel's secrets, tagged by the channel's kind; every field is optional until the operator sets it. */
export type ChannelSecrets = WhatsAppChannelSecrets | TelegramChannelSecrets | WebChannelSecrets;

/**
 * Opens a channel's sealed secrets. A channel without secrets yields the kind with no fields; unknown or
 * mistyped fields are dropped. Throws when the value cannot be opened (tampered, or sealed with another key).
 * @example const secrets = readChannelSecrets(channel, box); if (secrets.kind === "whatsapp") secrets.appSecret;
 */
export function readChannelSecrets(channel: ChannelRecord, secretBox: SecretBox): ChannelSecrets {
  const stored = channel.secretsEncrypted === null ? {} : openJson(channel, secretBox);
  return parseSecrets(channel.kind, stored);
}

/** Seals secrets for the `secretsEncrypted` column; the kind is not stored (the channel row has it). */
export function sealChannelSecrets(secrets: ChannelSecrets, secretBox: SecretBox): string {
  const { kind: _kind, ...fields } = secrets;
  return secretBox.seal(JSON.stringify(fields));
}

function parseSecrets(kind: ChannelKind, stored: unknown): ChannelSecrets {
  switch (kind) {
    case "whatsapp":
      return { kind, ...whatsAppSecretsSchema.catch({}).parse(stored) };
    case "telegram":
      return { kind, ...telegramSecretsSchema.catch({}).parse(stored) };
    case "web":
      return { kind };
    default: {
      const unknownKind: never = kind;
      throw new Error(`unknown channel kind: ${String(unknownKind)}`);
    }
  }
}

function openJson(channel: ChannelRecord, secretBox: SecretBox): unknown {
  let plain: string;
  try {
    plain = secretBox.open(channel.secretsEncrypted ?? "");
  } catch (error) {
    throw new Error(
      `cannot open the secrets of channel ${channel.id}: sealed with another PARLEY_SECRET_KEY or altered`,
      { cause: error },
    );
  }
  try {
    return JSON.parse(plain);
  } catch {
    return {};
  }
}

/**
 * The channel a webhook URL names, across organizations (the URL carries no tenant); null when no
 * channel of that kind has the id.
 */
export async function findChannelForWebhook(
  database: Database,
  kind: ChannelKind,
  channelId: string,
): Promise<ChannelRecord | null> {
  return findChannelForWebhookInStore(database.db, kind, channelId);
}
