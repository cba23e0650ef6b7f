/**
 * The outbox: replies written in the step transaction, sent by the dispatcher one contact line at a
 * time in id order, retried with backoff, and moved forward (never back) by delivery webhooks.
 */
import { type Selectable, sql } from "kysely";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../../core/channel.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { parseEnum, parseJson, toJson } from "../columns.ts";
import { prepareQuery, prepareRows } from "../prepared-query.ts";
import type { OutboundMessageRecord } from "../records.ts";
import type { OutboundMessagesTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

/** The unsent rows, spelled as the partial index outbound_messages_unsent_idx is, so it serves them. */
const UNSENT = sql<boolean>`status in ('queued', 'sending')`;

export interface NewOutboundMessage {
  organizationId: string;
  channelId: string;
  contactId: string;
  executionId?: string | null;
  nodeId?: string | null;
  payload: OutboundMessage;
  /** When it may be sent first; usually the step's `now`. */
  nextAttemptAt: number;
  createdAt: number;
}

export type ReceiptStatus = "sent" | "delivered" | "read" | "failed";

/** Progress order of delivery receipts; `failed` is handled apart. */
const RANK: Record<DeliveryStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
};

/** Queues messages; returns their ids in the order given (the send order). */
export async function enqueueOutbound(db: StoreDb, rows: NewOutboundMessage[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await insertQueued(
    db,
    rows.map((row) => [
      row.organizationId,
      row.channelId,
      row.contactId,
      row.executionId ?? null,
      row.nodeId ?? null,
      toJson(row.payload),
      row.nextAttemptAt,
      row.createdAt,
    ]),
  );
  return inserted.map((row) => row.id).sort((a, b) => a - b);
}

type QueuedColumns = [string, string, string, string | null, string | null, string, number, number];

const insertQueued = prepareRows((db, rows: QueuedColumns[]) =>
  db
    .insertInto("outbound_messages")
    .values(
      rows.map(
        ([
          organizationId,
          channelId,
          contactId,
          executionId,
          nodeId,
          payloadJson,
          nextAttemptAt,
          createdAt,
        ]) => ({
          organization_id: organizationId,
          channel_id: channelId,
          contact_id: contactId,
          execution_id: executionId,
          node_id: nodeId,
          payload_json: payloadJson,
          status: "queued",
          attempts: 0,
          next_attempt_at: nextAttemptAt,
          created_at: createdAt,
          updated_at: createdAt,
        }),
      ),
    )
    .returning("id"),
);

/** The record of a row just queued by enqueueOutbound, as listUnsentForContact would read it back. */
export function queuedRecord(row: NewOutboundMessage, id: number): OutboundMessageRecord {
  return {
    id,
    organizationId: row.organizationId,
    channelId: row.channelId,
    contactId: row.contactId,
    executionId: row.executionId ?? null,
    nodeId: row.nodeId ?? null,
    payload: row.payload,
    status: "queued",
    attempts: 0,
    nextAttemptAt: row.nextAttemptAt,
    providerMessageId: null,
    errorCode: null,
    errorMessage: null,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
  };
}

/** Contacts with at least one queued row due at `now`, with their earliest due time, longest-waiting first. */
export async function listContactsWithDueOutbound(
  db: StoreDb,
  now: number,
  limit: number,
): Promise<{ contactId: string; firstDue: number }[]> {
  const rows = await db
    .selectFrom("outbound_messages")
    .select("contact_id")
    .select((eb) => eb.fn.min("next_attempt_at").as("first_due"))
    .where(UNSENT)
    .where(sql<boolean>`status = 'queued'`)
    .where("next_attempt_at", "<=", now)
    .groupBy("contact_id")
    .orderBy("first_due")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ contactId: row.contact_id, firstDue: Number(row.first_due) }));
}

/** Claims a queued row for sending; false when it was not queued (another dispatcher has it). */
export async function markOutboundSending(db: StoreDb, id: number, at: number): Promise<boolean> {
  const result = await db
    .updateTable("outbound_messages")
    .set({ status: "sending", updated_at: at })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records the platform's acceptance; attempts counts this try. */
export async function markOutboundSent(
  db: StoreDb,
  id: number,
  providerMessageId: string,
  at: number,
): Promise<void> {
  await updateSent(db, id, providerMessageId, at);
}

const updateSent = prepareQuery((db, id: number, providerMessageId: string, at: number) =>
  db
    .updateTable("outbound_messages")
    .set((eb) => ({
      status: "sent",
      provider_message_id: providerMessageId,
      attempts: eb("attempts", "+", 1),
      sent_at: at,
      updated_at: at,
      error_code: null,
      error_message: null,
    }))
    .where("id", "=", id)
    .where("status", "in", ["queued", "sending"]),
);

/** Puts a row back in the queue after a retryable failure. */
export async function scheduleOutboundRetry(
  db: StoreDb,
  id: number,
  attempts: number,
  nextAttemptAt: number,
  error: { code: string; message: string },
  at: number = Date.now(),
): Promise<void> {
  await db
    .updateTable("outbound_messages")
    .set({
      status: "queued",
      attempts,
      next_attempt_at: nextAttemptAt,
      error_code: error.code,
      error_message: error.message,
      updated_at: at,
    })
    .where("id", "=", id)
    .execute();
}

/** Fails a row for good with Parley's (or the provider's) error code. */
export async function markOutboundFailed(
  db: StoreDb,
  id: number,
  code: string,
  message: string,
  at: number,
): Promise<void> {
  await db
    .updateTable("outbound_messages")
    .set({ status: "failed", error_code: code, error_message: message, updated_at: at })
    .where("id", "=", id)
    .execute();
}

/**
 * Applies a delivery receipt monotonically: sent < delivered < read never goes back; `failed` applies
 * only before delivery and then stays, with its error code. Returns the row when it changed, else null.
 */
export async function applyDeliveryStatus(
  db: StoreDb,
  providerMessageId: string,
  status: ReceiptStatus,
  at: number,
  error?: { code: string; message?: string },
): Promise<OutboundMessageRecord | null> {
  // Compare-and-set on the status read, retried when a concurrent receipt moved the row first.
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await db
      .selectFrom("outbound_messages")
      .selectAll()
      .where("provider_message_id", "=", providerMessageId)
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    if (!current) return null;
    const from = parseEnum(DELIVERY_STATUSES, current.status, "outbound_messages.status");
    if (!isForward(from, status)) return null;
    const row = await db
      .updateTable("outbound_messages")
      .set({
        status,
        updated_at: at,
        ...(status === "failed" && {
          error_code: error?.code ?? "CHANNEL_SEND_FAILED",
          error_message: error?.message ?? null,
        }),
        ...(current.sent_at === null && status !== "failed" && { sent_at: at }),
        ...(current.delivered_at === null &&
          (status === "delivered" || status === "read") && { delivered_at: at }),
        ...(status === "read" && { read_at: at }),
      })
      .where("id", "=", current.id)
      .where("status", "=", current.status)
      .returningAll()
      .executeTakeFirst();
    if (row) return toOutboundRecord(row);
  }
  return null;
}

/** A contact's outbound messages with their delivery statuses, oldest first (the latest `limit`). */
export async function listOutboundForContact(
  db: StoreDb,
  organizationId: string,
  contactId: string,
  limit = 100,
): Promise<OutboundMessageRecord[]> {
  const rows = await db
    .selectFrom("outbound_messages")
    .selectAll()
    .where("contact_id", "=", contactId)
    .where("organization_id", "=", organizationId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toOutboundRecord).reverse();
}

function isForward(from: DeliveryStatus, to: ReceiptStatus): boolean {
  if (from === "failed") return false;
  if (to === "failed") return RANK[from] < RANK.delivered;
  return RANK[to] > RANK[from];
}

function toOutboundRecord(row: Selectable<OutboundMessagesTable>): OutboundMessageRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    channelId: row.channel_id,
    contactId: row.contact_id,
    executionId: row.execution_id,
    nodeId: row.node_id,
    payload: parseJson<OutboundMessage>(row.payload_json),
    status: parseEnum(DELIVERY_STATUSES, row.status, "outbound_messages.status"),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    providerMessageId: row.provider_message_id,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    deliveredAt: row.delivered_at,
    readAt: row.read_at,
  };
}

/**
 * The head of a contact's line and the rows behind it (queued or sending, due or not), in send order.
 * The dispatcher sends only the head, so one contact's replies leave in order even across retries.
 */
export async function listUnsentForContact(
  db: StoreDb,
  contactId: string,
  limit: number,
): Promise<OutboundMessageRecord[]> {
  const { rows } = await selectUnsent(db, contactId, limit);
  return rows.map(toOutboundRecord);
}

const selectUnsent = prepareQuery((db, contactId: string, limit: number) =>
  db
    .selectFrom("outbound_messages")
    .selectAll()
    .where("contact_id", "=", contactId)
    .where(UNSENT)
    .orderBy("id")
    .limit(limit),
);

/**
 * Scale-out recovery: rows claimed for sending (queued → sending) longer ago than `staleBefore` by a
 * dispatcher that has since died go back to the queue. Returns each row's contact, to wake its line.
 * A send that was in flight at the death may then be repeated (at-least-once delivery).
 */
export async function requeueStaleSending(db: StoreDb, staleBefore: number, at: number): Promise<string[]> {
  const rows = await db
    .updateTable("outbound_messages")
    .set({ status: "queued", updated_at: at })
    .where(UNSENT)
    .where(sql<boolean>`status = 'sending'`)
    .where("updated_at", "<", staleBefore)
    .returning("contact_id")
    .execute();
  return rows.map((row) => row.contact_id);
}
