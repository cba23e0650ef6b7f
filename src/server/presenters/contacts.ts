/** Contacts as the API shows them (snake_case). */
import { z } from "zod";
import type { ContactRecord } from "../../store/index.ts";
import { toIso } from "./shared.ts";

export const contactSchema = z.object({
  id: z.string(),
  channel_id: z.string(),
  external_id: z.string().describe("wa_id or Telegram chat id"),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  opted_out: z.boolean(),
  last_inbound_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** A contact record as JSON. */
export function presentContact(contact: ContactRecord): z.infer<typeof contactSchema> {
  return {
    id: contact.id,
    channel_id: contact.channelId,
    external_id: contact.externalId,
    name: contact.name,
    phone: contact.phone,
    attributes: contact.attributes,
    tags: contact.tags,
    opted_out: contact.optedOut,
    last_inbound_at: toIso(contact.lastInboundAt),
    created_at: toIso(contact.createdAt),
    updated_at: toIso(contact.updatedAt),
  };
}
