/**
 * Conversations are a view, not a table: one row per contact that has exchanged a message, with its
 * message counts and the status of its active execution. The inbox also holds runtime events (timers,
 * API starts); only rows whose payload is an inbound message count as messages.
 */
import { sql } from "kysely";
import { EXECUTION_STATUSES, type ExecutionStatus } from "../../core/execution.ts";
import { escapeLike, parseEnum, parseJson } from "../columns.ts";
import type { ContactRecord, Page } from "../records.ts";
import type { StoreDb } from "../transaction.ts";
import { toContactRecord } from "./contacts.ts";
import { IS_ACTIVE } from "./executions.ts";

/** Inbox payloads written as `{ type: "message", ... }` (see runtime/inbox-events.ts). */
const MESSAGE_PAYLOAD = '{"type":"message"%';

export interface ConversationFilter {
  channelId?: string | undefined;
  /** Case-insensitive part of the name, phone or external id. */
  search?: string | undefined;
  page?: number;
  pageSize?: number;
}

export interface ConversationRow {
  contact: ContactRecord;
  inboundCount: number;
  outboundCount: number;
  lastInboundMessageAt: number | null;
  lastOutboundAt: number | null;
  activeExecution: { id: string; flowId: string; status: ExecutionStatus } | null;
}

/** An inbound message of a transcript, as stored in the inbox. */
export interface TranscriptInbound {
  id: number;
  payload: unknown;
  receivedAt: number;
}

/** One page of an organization's conversations, most recently active contact first. */
export async function listConversations(
  db: StoreDb,
  organizationId: string,
  filter: ConversationFilter = {},
): Promise<Page<ConversationRow>> {
  let query = db
    .selectFrom("contacts as c")
    .where("c.organization_id", "=", organizationId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("inbound_messages as i")
            .select("i.id")
            .whereRef("i.contact_id", "=", "c.id")
            .where("i.payload_json", "like", MESSAGE_PAYLOAD),
        ),
        eb.exists(
          eb.selectFrom("outbound_messages as o").select("o.id").whereRef("o.contact_id", "=", "c.id"),
        ),
      ]),
    );
  if (filter.channelId !== undefined) query = query.where("c.channel_id", "=", filter.channelId);
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(c.name) like ${pattern} escape '\\'`,
        sql<boolean>`c.phone like ${pattern} escape '\\'`,
        sql<boolean>`lower(c.external_id) like ${pattern} escape '\\'`,
      ]),
    );
  }
  const pageSize = filter.pageSize ?? 50;
  const offset = ((filter.page ?? 1) - 1) * pageSize;
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    query
      .selectAll("c")
      .select((eb) => [
        eb
          .selectFrom("inbound_messages as i")
          .select((sub) => sub.fn.countAll<number>().as("n"))
          .whereRef("i.contact_id", "=", "c.id")
          .where("i.payload_json", "like", MESSAGE_PAYLOAD)
          .as("inbound_count"),
        eb
          .selectFrom("inbound_messages as i")
          .select((sub) => sub.fn.max("i.received_at").as("m"))
          .whereRef("i.contact_id", "=", "c.id")
          .where("i.payload_json", "like", MESSAGE_PAYLOAD)
          .as("last_inbound_message_at"),
        eb
          .selectFrom("outbound_messages as o")
          .select((sub) => sub.fn.countAll<number>().as("n"))
          .whereRef("o.contact_id", "=", "c.id")
          .as("outbound_count"),
        eb
          .selectFrom("outbound_messages as o")
          .select((sub) => sub.fn.max("o.created_at").as("m"))
          .whereRef("o.contact_id", "=", "c.id")
          .as("last_outbound_at"),
        eb
          .selectFrom("executions as e")
          .select(sql<string>`e.id || ' ' || e.flow_id || ' ' || e.status`.as("x"))
          .whereRef("e.contact_id", "=", "c.id")
          .where(IS_ACTIVE)
          .orderBy("e.started_at", "desc")
          .limit(1)
          .as("active_execution"),
      ])
      .orderBy(sql`coalesce(c.last_inbound_at, c.created_at)`, "desc")
      .orderBy("c.id")
      .limit(pageSize)
      .offset(offset)
      .execute(),
  ]);
  return {
    total: Number(count.total),
    rows: rows.map((row) => ({
      contact: toContactRecord(row),
      inboundCount: Number(row.inbound_count ?? 0),
      outboundCount: Number(row.outbound_count ?? 0),
      lastInboundMessageAt: toMillis(row.last_inbound_message_at),
      lastOutboundAt: toMillis(row.last_outbound_at),
      activeExecution: readActiveExecution(row.active_execution),
    })),
  };
}

/** A contact's inbound messages (runtime events left out), oldest first: the latest `limit`. */
export async function listInboundMessagesOfContact(
  db: StoreDb,
  organizationId: string,
  contactId: string,
  limit = 200,
): Promise<TranscriptInbound[]> {
  const rows = await db
    .selectFrom("inbound_messages")
    .select(["id", "payload_json", "received_at"])
    .where("organization_id", "=", organizationId)
    .where("contact_id", "=", contactId)
    .where("payload_json", "like", MESSAGE_PAYLOAD)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows
    .map((row) => ({
      id: row.id,
      payload: parseJson<unknown>(row.payload_json),
      receivedAt: row.received_at,
    }))
    .reverse();
}

function toMillis(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Ids are UUIDs and statuses single words, so the packed "id flow status" splits on spaces. */
function readActiveExecution(value: string | null | undefined): ConversationRow["activeExecution"] {
  if (!value) return null;
  const [id, flowId, status] = value.split(" ");
  if (!id || !flowId || !status) return null;
  return { id, flowId, status: parseEnum(EXECUTION_STATUSES, status, "executions.status") };
}
