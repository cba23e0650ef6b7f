/**
 * Fewer index entries to rewrite per turn. Closing an inbox row used to move its entries in two
 * indexes that carried the status (contact+status and status alone), each another page for the
 * commit to write. The pending backlog now has a partial index by id (recovery pages through it),
 * contact lookups use (contact_id, id), which closing a row leaves alone, and the active-execution
 * index gains the id so its "newest first" order needs no sort.
 */
import { type Kysely, sql } from "kysely";

const ACTIVE = sql<boolean>`status in ('pending', 'running', 'waiting_for_input')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("inbound_messages_contact_idx")
    .on("inbound_messages")
    .columns(["contact_id", "id"])
    .execute();
  await db.schema
    .createIndex("inbound_messages_pending_id_idx")
    .on("inbound_messages")
    .column("id")
    .where(sql.ref("status"), "=", sql.lit("pending"))
    .execute();
  await db.schema.dropIndex("inbound_messages_contact_status_idx").execute();
  await db.schema.dropIndex("inbound_messages_status_idx").execute();

  await db.schema.dropIndex("executions_active_idx").execute();
  await db.schema
    .createIndex("executions_active_idx")
    .on("executions")
    .columns(["contact_id", "started_at", "id"])
    .where(ACTIVE)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("executions_active_idx").execute();
  await db.schema
    .createIndex("executions_active_idx")
    .on("executions")
    .columns(["contact_id", "started_at"])
    .where(ACTIVE)
    .execute();

  await db.schema
    .createIndex("inbound_messages_status_idx")
    .on("inbound_messages")
    .columns(["status", "id"])
    .execute();
  await db.schema
    .createIndex("inbound_messages_contact_status_idx")
    .on("inbound_messages")
    .columns(["contact_id", "status", "id"])
    .execute();
  await db.schema.dropIndex("inbound_messages_pending_id_idx").execute();
  await db.schema.dropIndex("inbound_messages_contact_idx").execute();
}
