/**
 * Parses a WhatsApp webhook POST body into normalised inbound messages and delivery statuses,
 * grouped by the business number that received them. Never throws: bad parts are counted as ignored.
 */
import type { InboundMessage, StatusUpdate } from "../../core/channel.ts";
import { isRecord, readArray, readString, readStringOrNumber } from "./json-read.ts";
import { readMessageContent } from "./parse-message.ts";

export interface WhatsAppWebhookBatch {
  phoneNumberId: string;
  displayPhoneNumber?: string;
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  /** `value.errors[]` as sent: out-of-band errors not tied to one message. */
  errors: unknown[];
}

export interface ParsedWhatsAppWebhook {
  batches: WhatsAppWebhookBatch[];
  /** Entries, changes, messages or statuses that were skipped (other fields, missing ids, bad shapes). */
  ignored: number;
}

interface ContactInfo {
  waId?: string;
  userId?: string;
  name?: string;
  username?: string;
}

const STATUS_MAP: ReadonlyMap<string, StatusUpdate["status"]> = new Map<string, StatusUpdate["status"]>([
  ["sent", "sent"],
  ["delivered", "delivered"],
  ["read", "read"],
  // A played voice note has necessarily been read.
  ["played", "read"],
  ["failed", "failed"],
]);

/** Parses every entry × change × messages/statuses/errors of a webhook body; never throws. */
export function parseWebhook(body: unknown): ParsedWhatsAppWebhook {
  const batches = new Map<string, WhatsAppWebhookBatch>();
  let ignored = 0;
  const entries = isRecord(body) ? readArray(body.entry) : [];
  for (const entry of entries) {
    const changes = isRecord(entry) ? readArray(entry.changes) : [];
    if (changes.length === 0) ignored++;
    for (const change of changes) {
      ignored += readChange(change, batches);
    }
  }
  for (const batch of batches.values()) {
    // Array.prototype.sort is stable, so equal timestamps keep their arrival order.
    batch.messages.sort((a, b) => a.timestamp - b.timestamp);
  }
  return { batches: [...batches.values()], ignored };
}

/** Adds one change's content to its batch; returns how many parts were ignored. */
function readChange(change: unknown, batches: Map<string, WhatsAppWebhookBatch>): number {
  if (!isRecord(change) || change.field !== "messages" || !isRecord(change.value)) return 1;
  const value = change.value;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const phoneNumberId = readStringOrNumber(metadata.phone_number_id);
  if (phoneNumberId === undefined) return 1;
  const batch = getBatch(batches, phoneNumberId, readStringOrNumber(metadata.display_phone_number));
  const contacts = readContacts(value.contacts);
  let ignored = 0;
  for (const message of readArray(value.messages)) {
    const parsed = readMessage(message, contacts);
    if (parsed) batch.messages.push(parsed);
    else ignored++;
  }
  for (const status of readArray(value.statuses)) {
    const parsed = readStatus(status);
    if (parsed) batch.statuses.push(parsed);
    else ignored++;
  }
  batch.errors.push(...readArray(value.errors));
  return ignored;
}

function getBatch(
  batches: Map<string, WhatsAppWebhookBatch>,
  phoneNumberId: string,
  displayPhoneNumber: string | undefined,
): WhatsAppWebhookBatch {
  let batch = batches.get(phoneNumberId);
  if (!batch) {
    batch = { phoneNumberId, messages: [], statuses: [], errors: [] };
    if (displayPhoneNumber !== undefined) batch.displayPhoneNumber = displayPhoneNumber;
    batches.set(phoneNumberId, batch);
  }
  return batch;
}

function readContacts(raw: unknown): ContactInfo[] {
  return readArray(raw).flatMap((contact) => {
    if (!isRecord(contact)) return [];
    const profile = isRecord(contact.profile) ? contact.profile : {};
    const info: ContactInfo = {};
    const waId = readStringOrNumber(contact.wa_id);
    const userId = readString(contact.user_id);
    const name = readString(profile.name);
    const username = readString(profile.username);
    if (waId !== undefined) info.waId = waId;
    if (userId !== undefined) info.userId = userId;
    if (name !== undefined) info.name = name;
    if (username !== undefined) info.username = username;
    return [info];
  });
}

function readMessage(raw: unknown, contacts: ContactInfo[]): InboundMessage | undefined {
  if (!isRecord(raw)) return undefined;
  const id = readString(raw.id);
  const from = readStringOrNumber(raw.from);
  const fromUserId = readString(raw.from_user_id);
  const timestamp = readTimestamp(raw.timestamp);
  if (!id || timestamp === undefined || (from === undefined && fromUserId === undefined)) return undefined;
  // Join by id, never by index: one webhook may carry several contacts.
  const contact = contacts.find(
    (c) => (from !== undefined && c.waId === from) || (fromUserId !== undefined && c.userId === fromUserId),
  );
  const waId = contact?.waId ?? from;
  const externalId = contact?.waId ?? contact?.userId ?? from ?? fromUserId ?? "";
  const content = readMessageContent(raw);
  const message: InboundMessage = {
    externalMessageId: id,
    contact: { externalId },
    timestamp,
    kind: content.kind,
    text: content.text,
  };
  if (waId !== undefined) message.contact.phone = waId;
  if (contact?.name !== undefined) message.contact.name = contact.name;
  if (contact?.username !== undefined) message.contact.username = contact.username;
  if (content.optionId !== undefined) message.optionId = content.optionId;
  if (content.media !== undefined) message.media = content.media;
  if (content.raw !== undefined) message.raw = content.raw;
  const replyTo = isRecord(raw.context) ? readString(raw.context.id) : undefined;
  if (replyTo !== undefined || content.targetMessageId !== undefined) {
    message.replyToMessageId = replyTo ?? content.targetMessageId;
  }
  if (raw.referral !== undefined) message.referral = raw.referral;
  return message;
}

function readStatus(raw: unknown): StatusUpdate | undefined {
  if (!isRecord(raw)) return undefined;
  const id = readString(raw.id);
  const status = STATUS_MAP.get(readString(raw.status) ?? "");
  const timestamp = readTimestamp(raw.timestamp);
  if (!id || !status || timestamp === undefined) return undefined;
  const update: StatusUpdate = { providerMessageId: id, status, timestamp };
  const recipient = readStringOrNumber(raw.recipient_id) ?? readString(raw.recipient_user_id);
  if (recipient !== undefined) update.recipientExternalId = recipient;
  const firstError = readArray(raw.errors)[0];
  if (isRecord(firstError)) {
    const code = readStringOrNumber(firstError.code);
    const details = isRecord(firstError.error_data) ? readString(firstError.error_data.details) : undefined;
    const text = readString(firstError.title) ?? readString(firstError.message);
    const message = [text, details].filter(Boolean).join(" — ");
    if (code !== undefined) update.errorCode = code;
    if (message !== "") update.errorMessage = message;
  }
  return update;
}

/** Graph timestamps are Unix seconds as strings; InboundMessage wants milliseconds. */
function readTimestamp(value: unknown): number | undefined {
  const seconds = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
