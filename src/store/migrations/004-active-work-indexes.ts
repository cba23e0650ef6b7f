/**
 * Partial indexes over only the work still to do: pending inbox rows, unsent outbox rows and active
 * executions. They stay small however much history accumulates, so the hot-path lookups cost the
 * same with ten rows or a million finished ones. Queries name the statuses as literals so both
 * SQLite and PostgreSQL can match them to these indexes.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("inbound_messages_pending_idx")
    .on("inbound_messages")
    .columns(["contact_id", "id"])
    .where(sql.ref("status"), "=", sql.lit("pending"))
    .execute();
  await db.schema
    .createIndex("outbound_messages_unsent_idx")
    .on("outbound_messages")
    .columns(["contact_id", "id"])
    .where(sql<boolean>`status in ('queued', 'sending')`)
    .execute();
  await db.schema
    .createIndex("executions_active_idx")
    .on("executions")
    .columns(["contact_id", "started_at"])
    .where(sql<boolean>`status in ('pending', 'running', 'waiting_for_input')`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("executions_active_idx").execute();
  await db.schema.dropIndex("outbound_messages_unsent_idx").execute();
  await db.schema.dropIndex("inbound_messages_pending_idx").execute();
}
