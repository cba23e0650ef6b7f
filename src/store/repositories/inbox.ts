/**
 * The durable inbox: every accepted inbound message, unique on (channel, external message id) so a
 * redelivered webhook is a no-op. The id is the arrival sequence that orders a contact's messages.
 */
import { type Selectable, sql } from "kysely";
import { parseEnum, parseJson, toJson } from "../columns.ts";
import { prepareQuery, prepareRows } from "../prepared-query.ts";
import type { InboundMessageRecord, InboundStatus } from "../records.ts";
import type { InboundMessagesTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

const INBOUND_STATUSES: readonly InboundStatus[] = ["pending", "processed", "unhandled", "failed"];

export interface NewInboundMessage {
  organizationId: string;
  channelId: string;
  contactId: string;
  externalMessageId: string;
  payload: unknown;
  receivedAt: number;
}

/** Inserts pending rows and returns those actually inserted, by id; duplicates are skipped silently. */
export async function insertInboundMessages(
  db: StoreDb,
  rows: NewInboundMessage[],
): Promise<InboundMessageRecord[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await insertPending(
    db,
    rows.map((row) => [
      row.organizationId,
      row.channelId,
      row.contactId,
      row.externalMessageId,
      toJson(row.payload),
      row.receivedAt,
    ]),
  );
  return inserted.map(toInboundRecord).sort((a, b) => a.id - b.id);
}

const insertPending = prepareRows((db, rows: [string, string, string, string, string, number][]) =>
  db
    .insertInto("inbound_messages")
    .values(
      rows.map(([organizationId, channelId, contactId, externalMessageId, payloadJson, receivedAt]) => ({
        organization_id: organizationId,
        channel_id: channelId,
        contact_id: contactId,
        external_message_id: externalMessageId,
        payload_json: payloadJson,
        status: "pending",
        received_at: receivedAt,
      })),
    )
    .onConflict((oc) => oc.columns(["channel_id", "external_message_id"]).doNothing())
    .returningAll(),
);

/** Pending rows of all contacts in arrival order, after `afterId` (for paging through a backlog). */
export async function listPendingInbound(
  db: StoreDb,
  limit: number,
  afterId?: number,
): Promise<InboundMessageRecord[]> {
  // A literal, so the partial index inbound_messages_pending_id_idx serves the scan.
  let query = db.selectFrom("inbound_messages").selectAll().where(sql<boolean>`status = 'pending'`);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  const rows = await query.orderBy("id").limit(limit).execute();
  return rows.map(toInboundRecord);
}

/** One contact's pending rows in arrival order: the next to process is the first. */
export async function listPendingInboundForContact(
  db: StoreDb,
  contactId: string,
  limit: number,
): Promise<InboundMessageRecord[]> {
  const { rows } = await selectPendingForContact(db, contactId, limit);
  return rows.map(toInboundRecord);
}

const selectPendingForContact = prepareQuery((db, contactId: string, limit: number) =>
  db
    .selectFrom("inbound_messages")
    .selectAll()
    .where("contact_id", "=", contactId)
    // A literal, so the partial index inbound_messages_pending_idx serves the lookup.
    .where(sql<boolean>`status = 'pending'`)
    .orderBy("id")
    .limit(limit),
);

/**
 * Closes a pending row with its outcome. Returns false when the row was no longer pending (another
 * worker got there first), so a caller inside a step transaction can roll back instead of repeating it.
 */
export async function markInboundProcessed(
  db: StoreDb,
  id: number,
  status: Exclude<InboundStatus, "pending">,
  error: string | null | undefined,
  at: number,
): Promise<boolean> {
  const result = await closePending(db, id, status, error ?? null, at);
  return (result.numAffectedRows ?? 0n) > 0n;
}

const closePending = prepareQuery(
  (db, id: number, status: Exclude<InboundStatus, "pending">, error: string | null, at: number) =>
    db
      .updateTable("inbound_messages")
      .set({ status, error, processed_at: at })
      .where("id", "=", id)
      .where(sql<boolean>`status = 'pending'`),
);

/** Lists an organization's inbound messages of one contact, oldest first (transcript). */
export async function listInboundForContact(
  db: StoreDb,
  organizationId: string,
  contactId: string,
  limit = 100,
): Promise<InboundMessageRecord[]> {
  const rows = await db
    .selectFrom("inbound_messages")
    .selectAll()
    .where("contact_id", "=", contactId)
    .where("organization_id", "=", organizationId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map(toInboundRecord).reverse();
}

function toInboundRecord(row: Selectable<InboundMessagesTable>): InboundMessageRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    channelId: row.channel_id,
    contactId: row.contact_id,
    externalMessageId: row.external_message_id,
    payload: parseJson<unknown>(row.payload_json),
    status: parseEnum(INBOUND_STATUSES, row.status, "inbound_messages.status"),
    error: row.error,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}
