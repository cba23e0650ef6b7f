/**
 * Channels as the API shows them: never a credential, only `secrets: {name: isSet}`, plus the webhook
 * URL to register with Meta or Telegram.
 */
import { z } from "zod";
import { CHANNEL_KINDS } from "../../core/channel.ts";
import type { ChannelRecord, SecretBox } from "../../store/index.ts";
import { buildWebhookUrl, describeSecrets } from "../services/channels.ts";
import { toIso } from "./shared.ts";

export const channelSchema = z.object({
  id: z.string(),
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  bot_id: z.string().nullable(),
  external_id: z.string().nullable().describe("WhatsApp phone_number_id or Telegram bot id"),
  phone_number_id: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  secrets: z
    .record(z.string(), z.boolean())
    .describe("Which credentials are set; their values are never returned"),
  webhook_url: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** A channel without its credentials. */
export function presentChannel(
  channel: ChannelRecord,
  secretBox: SecretBox,
  publicUrl: string | undefined,
): z.infer<typeof channelSchema> {
  return {
    id: channel.id,
    kind: channel.kind,
    name: channel.name,
    bot_id: channel.botId,
    external_id: channel.externalId,
    phone_number_id: channel.kind === "whatsapp" ? channel.externalId : null,
    config: channel.config,
    secrets: describeSecrets(secretBox, channel),
    webhook_url: buildWebhookUrl(publicUrl, channel),
    created_at: toIso(channel.createdAt),
    updated_at: toIso(channel.updatedAt),
  };
}
