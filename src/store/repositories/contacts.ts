/**
 * Contacts: a person on a channel, keyed by (channel, external id). The inbound path upserts them in
 * one statement; the API lists, searches and tags them.
 */
import { randomUUID } from "node:crypto";
import { type Selectable, sql } from "kysely";
import { escapeLike, fromFlag, parseJson, toFlag, toJson } from "../columns.ts";
import { prepareQuery } from "../prepared-query.ts";
import type { ContactRecord, Page } from "../records.ts";
import type { ContactsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface InboundContact {
  organizationId: string;
  channelId: string;
  externalId: string;
  name?: string | null;
  phone?: string | null;
  /** When the message arrived; last_inbound_at never moves back (out-of-order webhooks). */
  at: number;
}

export interface ContactPatch {
  name?: string | null;
  phone?: string | null;
  attributes?: Record<string, unknown>;
  tags?: string[];
  optedOut?: boolean;
  at: number;
}

export interface ContactFilter {
  channelId?: string;
  /** Case-insensitive part of the name, phone or external id. */
  search?: string;
  /** Only contacts carrying this exact tag. */
  tag?: string;
  page?: number;
  pageSize?: number;
}

/** Creates the contact of an inbound message or refreshes it (name/phone kept when not given). */
export async function upsertContactFromInbound(db: StoreDb, contact: InboundContact): Promise<ContactRecord> {
  const { rows } = await upsertInbound(
    db,
    randomUUID(),
    contact.organizationId,
    contact.channelId,
    contact.externalId,
    contact.name ?? null,
    contact.phone ?? null,
    contact.at,
  );
  const row = rows[0];
  if (!row) throw new Error("upsertContactFromInbound: no row returned");
  return toContactRecord(row);
}

const upsertInbound = prepareQuery(
  (
    db,
    id: string,
    organizationId: string,
    channelId: string,
    externalId: string,
    name: string | null,
    phone: string | null,
    at: number,
  ) =>
    db
      .insertInto("contacts")
      .values({
        id,
        organization_id: organizationId,
        channel_id: channelId,
        external_id: externalId,
        name,
        phone,
        attributes_json: "{}",
        tags_json: "[]",
        last_inbound_at: at,
        opted_out: toFlag(false),
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.columns(["channel_id", "external_id"]).doUpdateSet({
          name: sql<string | null>`coalesce(excluded.name, contacts.name)`,
          phone: sql<string | null>`coalesce(excluded.phone, contacts.phone)`,
          last_inbound_at: sql<number>`case when contacts.last_inbound_at is null
          or contacts.last_inbound_at < excluded.last_inbound_at
          then excluded.last_inbound_at else contacts.last_inbound_at end`,
          updated_at: sql<number>`excluded.updated_at`,
        }),
      )
      .returningAll(),
);

/** Finds one contact of an organization. */
export async function getContact(
  db: StoreDb,
  organizationId: string,
  id: string,
): Promise<ContactRecord | null> {
  const { rows } = await selectContact(db, organizationId, id);
  const row = rows[0];
  return row ? toContactRecord(row) : null;
}

const selectContact = prepareQuery((db, organizationId: string, id: string) =>
  db.selectFrom("contacts").selectAll().where("organization_id", "=", organizationId).where("id", "=", id),
);

/** Lists an organization's contacts, most recently active first, optionally searched. */
export async function listContacts(
  db: StoreDb,
  organizationId: string,
  filter: ContactFilter = {},
): Promise<Page<ContactRecord>> {
  let query = db.selectFrom("contacts").where("organization_id", "=", organizationId);
  if (filter.channelId !== undefined) query = query.where("channel_id", "=", filter.channelId);
  if (filter.tag !== undefined) {
    // Tags are a JSON array of strings in a text column: match the tag's exact JSON encoding.
    const pattern = `%${escapeLike(JSON.stringify(filter.tag))}%`;
    query = query.where(sql<boolean>`tags_json like ${pattern} escape '\\'`);
  }
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(name) like ${pattern} escape '\\'`,
        sql<boolean>`phone like ${pattern} escape '\\'`,
        sql<boolean>`lower(external_id) like ${pattern} escape '\\'`,
      ]),
    );
  }
  const pageSize = filter.pageSize ?? 50;
  const offset = ((filter.page ?? 1) - 1) * pageSize;
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy(sql`coalesce(last_inbound_at, created_at)`, "desc")
      .orderBy("id")
      .limit(pageSize)
      .offset(offset)
      .execute(),
  ]);
  return { total: Number(count.total), rows: rows.map(toContactRecord) };
}

/** Changes name, phone, attributes, tags or opt-out; null when the organization has no such contact. */
export async function updateContact(
  db: StoreDb,
  organizationId: string,
  id: string,
  patch: ContactPatch,
): Promise<ContactRecord | null> {
  const row = await db
    .updateTable("contacts")
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.attributes !== undefined && { attributes_json: toJson(patch.attributes) }),
      ...(patch.tags !== undefined && { tags_json: toJson(patch.tags) }),
      ...(patch.optedOut !== undefined && { opted_out: toFlag(patch.optedOut) }),
      updated_at: patch.at,
    })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row ? toContactRecord(row) : null;
}

/** Maps a contacts row to its record (also used by conversations.ts). */
export function toContactRecord(row: Selectable<ContactsTable>): ContactRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    channelId: row.channel_id,
    externalId: row.external_id,
    name: row.name,
    phone: row.phone,
    attributes: parseJson<Record<string, unknown>>(row.attributes_json),
    tags: parseJson<string[]>(row.tags_json),
    lastInboundAt: row.last_inbound_at,
    optedOut: fromFlag(row.opted_out),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Finds or creates a contact for outbound work (API trigger, simulator) without touching
 * `last_inbound_at`: only a message from the contact opens the 24 h window.
 */
export async function ensureContact(db: StoreDb, contact: InboundContact): Promise<ContactRecord> {
  const row = await db
    .insertInto("contacts")
    .values({
      id: randomUUID(),
      organization_id: contact.organizationId,
      channel_id: contact.channelId,
      external_id: contact.externalId,
      name: contact.name ?? null,
      phone: contact.phone ?? null,
      attributes_json: "{}",
      tags_json: "[]",
      last_inbound_at: null,
      opted_out: toFlag(false),
      created_at: contact.at,
      updated_at: contact.at,
    })
    .onConflict((oc) =>
      oc.columns(["channel_id", "external_id"]).doUpdateSet({
        name: sql<string | null>`coalesce(excluded.name, contacts.name)`,
        phone: sql<string | null>`coalesce(excluded.phone, contacts.phone)`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return toContactRecord(row);
}
