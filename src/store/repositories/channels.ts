/**
 * Channels: one connection to WhatsApp, Telegram or the web simulator. Secrets arrive sealed by the
 * caller (secret box); webhooks find their channel by (kind, externalId).
 */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { CHANNEL_KINDS, type ChannelKind } from "../../core/channel.ts";
import { parseEnum, parseJson, toJson } from "../columns.ts";
import type { ChannelRecord } from "../records.ts";
import type { ChannelsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewChannel {
  organizationId: string;
  botId?: string | null;
  kind: ChannelKind;
  name: string;
  externalId?: string | null;
  config?: Record<string, unknown>;
  secretsEncrypted?: string | null;
  at: number;
}

export interface ChannelPatch {
  botId?: string | null;
  name?: string;
  externalId?: string | null;
  config?: Record<string, unknown>;
  secretsEncrypted?: string | null;
  at: number;
}

/** Creates a channel; throws when another channel already has this (kind, externalId). */
export async function createChannel(db: StoreDb, channel: NewChannel): Promise<ChannelRecord> {
  const row = await db
    .insertInto("channels")
    .values({
      id: randomUUID(),
      organization_id: channel.organizationId,
      bot_id: channel.botId ?? null,
      kind: channel.kind,
      name: channel.name,
      external_id: channel.externalId ?? null,
      config_json: toJson(channel.config ?? {}),
      secrets_encrypted: channel.secretsEncrypted ?? null,
      created_at: channel.at,
      updated_at: channel.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toChannelRecord(row);
}

/** Finds one channel of an organization. */
export async function getChannel(
  db: StoreDb,
  organizationId: string,
  id: string,
): Promise<ChannelRecord | null> {
  const row = await db
    .selectFrom("channels")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toChannelRecord(row) : null;
}

/** Lists an organization's channels, optionally of one bot or kind. */
export async function listChannels(
  db: StoreDb,
  organizationId: string,
  filter: { botId?: string; kind?: ChannelKind } = {},
): Promise<ChannelRecord[]> {
  let query = db.selectFrom("channels").selectAll().where("organization_id", "=", organizationId);
  if (filter.botId !== undefined) query = query.where("bot_id", "=", filter.botId);
  if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
  const rows = await query.orderBy("created_at").orderBy("id").execute();
  return rows.map(toChannelRecord);
}

/** Changes the given fields; null when the organization has no such channel. */
export async function updateChannel(
  db: StoreDb,
  organizationId: string,
  id: string,
  patch: ChannelPatch,
): Promise<ChannelRecord | null> {
  const row = await db
    .updateTable("channels")
    .set({
      ...(patch.botId !== undefined && { bot_id: patch.botId }),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.externalId !== undefined && { external_id: patch.externalId }),
      ...(patch.config !== undefined && { config_json: toJson(patch.config) }),
      ...(patch.secretsEncrypted !== undefined && { secrets_encrypted: patch.secretsEncrypted }),
      updated_at: patch.at,
    })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row ? toChannelRecord(row) : null;
}

/** Deletes a channel with its contacts, conversations and executions; false when not found. */
export async function deleteChannel(db: StoreDb, organizationId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("channels")
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The channel a webhook is addressed to (phone_number_id, Telegram bot id), across organizations. */
export async function findChannelByExternalId(
  db: StoreDb,
  kind: ChannelKind,
  externalId: string,
): Promise<ChannelRecord | null> {
  const row = await db
    .selectFrom("channels")
    .selectAll()
    .where("kind", "=", kind)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
  return row ? toChannelRecord(row) : null;
}

/**
 * A channel by id across organizations, for webhook routes whose URL names only the channel: the
 * platform, not a member of the organization, is calling. Never use it for a member's request.
 */
export async function findChannelForWebhook(
  db: StoreDb,
  kind: ChannelKind,
  channelId: string,
): Promise<ChannelRecord | null> {
  const row = await db
    .selectFrom("channels")
    .selectAll()
    .where("id", "=", channelId)
    .where("kind", "=", kind)
    .executeTakeFirst();
  return row ? toChannelRecord(row) : null;
}

function toChannelRecord(row: Selectable<ChannelsTable>): ChannelRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    botId: row.bot_id,
    kind: parseEnum(CHANNEL_KINDS, row.kind, "channels.kind"),
    name: row.name,
    externalId: row.external_id,
    config: parseJson<Record<string, unknown>>(row.config_json),
    secretsEncrypted: row.secrets_encrypted,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
