/**
 * Conversations as the API shows them: a list row per contact, and a transcript that merges what the
 * contact sent (inbox) with what was sent to them (outbox, with delivery status and error code).
 */
import { z } from "zod";
import { describeTemplate } from "../../channels/web/index.ts";
import type { InboundMessage } from "../../core/channel.ts";
import { EXECUTION_STATUSES } from "../../core/execution.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { readInboxEvent } from "../../runtime/inbox-events.ts";
import type { ContactRecord, OutboundMessageRecord } from "../../store/index.ts";
import type { ConversationRow, TranscriptInbound } from "../../store/repositories/conversations.ts";
import type { ConversationDetail, MessageWindow } from "../services/conversations.ts";
import { toIso } from "./shared.ts";

const activeExecutionSchema = z
  .object({ id: z.string(), flow_id: z.string(), status: z.enum(EXECUTION_STATUSES) })
  .nullable();

export const conversationSummarySchema = z.object({
  contact_id: z.string(),
  channel_id: z.string(),
  channel_kind: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  external_id: z.string(),
  last_message_at: z.string().nullable(),
  last_inbound_at: z.string().nullable(),
  inbound_count: z.number().int(),
  outbound_count: z.number().int(),
  window_open: z.boolean(),
  window_expires_at: z.string().nullable(),
  active_execution: activeExecutionSchema,
});

export const transcriptEntrySchema = z.object({
  id: z.string().describe("`in-{n}` for received, `out-{n}` for sent messages"),
  direction: z.enum(["inbound", "outbound"]),
  at: z.string(),
  kind: z.string().describe("Inbound kind (text, button, media...) or outbound type (text, buttons...)"),
  text: z.string(),
  option_id: z.string().nullable(),
  media: z.record(z.string(), z.unknown()).nullable(),
  message: z.record(z.string(), z.unknown()).nullable().describe("The outbound message as queued"),
  status: z.string().describe("`received`, or the delivery status queued/sending/sent/delivered/read/failed"),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  execution_id: z.string().nullable(),
});

export const conversationDetailSchema = conversationSummarySchema
  .omit({ inbound_count: true, outbound_count: true, last_message_at: true })
  .extend({ messages: z.array(transcriptEntrySchema) });

type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

/** A list row; `window` is computed by the service for the contact's channel. */
export function presentConversationSummary(
  row: ConversationRow,
  channelKind: string | null,
  window: MessageWindow,
): z.infer<typeof conversationSummarySchema> {
  const last = Math.max(row.lastInboundMessageAt ?? 0, row.lastOutboundAt ?? 0);
  return {
    ...presentContactPart(row.contact, channelKind, window),
    last_message_at: last === 0 ? null : toIso(last),
    inbound_count: row.inboundCount,
    outbound_count: row.outboundCount,
    active_execution: row.activeExecution
      ? {
          id: row.activeExecution.id,
          flow_id: row.activeExecution.flowId,
          status: row.activeExecution.status,
        }
      : null,
  };
}

/** The detail with the merged transcript, oldest first (received before sent at the same instant). */
export function presentConversationDetail(
  detail: ConversationDetail,
): z.infer<typeof conversationDetailSchema> {
  const entries = [
    ...detail.inbound.flatMap((row) => presentInbound(row)),
    ...detail.outbound.map(presentOutbound),
  ];
  const at = (entry: TranscriptEntry) => Date.parse(entry.at);
  entries.sort(
    (a, b) => at(a) - at(b) || (a.direction === b.direction ? 0 : a.direction === "inbound" ? -1 : 1),
  );
  const active = detail.activeExecution;
  return {
    ...presentContactPart(detail.contact, detail.channel?.kind ?? null, detail.window),
    active_execution: active ? { id: active.id, flow_id: active.flowId, status: active.status } : null,
    messages: entries,
  };
}

function presentContactPart(contact: ContactRecord, channelKind: string | null, window: MessageWindow) {
  return {
    contact_id: contact.id,
    channel_id: contact.channelId,
    channel_kind: channelKind,
    name: contact.name,
    phone: contact.phone,
    external_id: contact.externalId,
    last_inbound_at: toIso(contact.lastInboundAt),
    window_open: window.open,
    window_expires_at: toIso(window.expiresAt),
  };
}

function presentInbound(row: TranscriptInbound): TranscriptEntry[] {
  const event = readInboxEvent(row.payload);
  if (event.type !== "message") return [];
  const message: InboundMessage = event.message;
  return [
    {
      id: `in-${row.id}`,
      direction: "inbound",
      at: toIso(row.receivedAt),
      kind: message.kind,
      text: message.text,
      option_id: message.optionId ?? null,
      media: message.media ? { ...message.media } : null,
      message: null,
      status: "received",
      error_code: null,
      error_message: null,
      execution_id: null,
    },
  ];
}

function presentOutbound(row: OutboundMessageRecord): TranscriptEntry {
  const media =
    row.payload.type === "media"
      ? { mediaType: row.payload.mediaType, url: row.payload.url, caption: row.payload.caption ?? null }
      : null;
  return {
    id: `out-${row.id}`,
    direction: "outbound",
    at: toIso(row.createdAt),
    kind: row.payload.type,
    text: describeOutbound(row.payload),
    option_id: null,
    media,
    message: { ...row.payload },
    status: row.status,
    error_code: row.errorCode,
    error_message: row.errorMessage,
    execution_id: row.executionId,
  };
}

function describeOutbound(message: OutboundMessage): string {
  switch (message.type) {
    case "text":
      return message.text;
    case "buttons":
    case "list":
      return message.body;
    case "media":
      return message.caption ?? "";
    case "template":
      return describeTemplate(message);
  }
}
