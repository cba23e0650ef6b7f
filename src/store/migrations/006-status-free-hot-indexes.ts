/**
 * Fewer index entries moved when a message is sent or an execution ends. An UPDATE that sets a
 * column rewrites every index holding it, and each rewritten entry keyed by contact lands on its
 * own page for the commit to write:
 * - outbound: (contact_id, status, id) becomes (contact_id, id), which a status change leaves alone;
 *   (status, next_attempt_at) goes, the sweeps read the unsent partial index instead;
 * - executions: (organization_id, contact_id, status) goes; (contact_id) serves the contact filter
 *   and the active partial index the "running now" lookups.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("outbound_messages_contact_idx")
    .on("outbound_messages")
    .columns(["contact_id", "id"])
    .execute();
  await db.schema.dropIndex("outbound_messages_contact_status_idx").execute();
  await db.schema.dropIndex("outbound_messages_status_due_idx").execute();
  await db.schema.dropIndex("executions_contact_status_idx").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("executions_contact_status_idx")
    .on("executions")
    .columns(["organization_id", "contact_id", "status"])
    .execute();
  await db.schema
    .createIndex("outbound_messages_status_due_idx")
    .on("outbound_messages")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("outbound_messages_contact_status_idx")
    .on("outbound_messages")
    .columns(["contact_id", "status", "id"])
    .execute();
  await db.schema.dropIndex("outbound_messages_contact_idx").execute();
}
