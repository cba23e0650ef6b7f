/**
 * The durable message path: the inbox (dedupe key + arrival order), the outbox (send order, retries,
 * delivery statuses) and timers (execution timeouts, wait nodes).
 */
import type { Kysely } from "kysely";
import { addSequenceId } from "./column-types.ts";

export async function up(db: Kysely<unknown>): Promise<void> {
  await addSequenceId(db.schema.createTable("inbound_messages"), db)
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("channel_id", "text", (col) => col.notNull().references("channels.id").onDelete("cascade"))
    .addColumn("contact_id", "text", (col) => col.notNull())
    .addColumn("external_message_id", "text", (col) => col.notNull())
    .addColumn("payload_json", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull().defaultTo("pending"))
    .addColumn("error", "text")
    .addColumn("received_at", "bigint", (col) => col.notNull())
    .addColumn("processed_at", "bigint")
    .addUniqueConstraint("inbound_messages_channel_external_key", ["channel_id", "external_message_id"])
    .execute();
  await db.schema
    .createIndex("inbound_messages_contact_status_idx")
    .on("inbound_messages")
    .columns(["contact_id", "status", "id"])
    .execute();
  await db.schema
    .createIndex("inbound_messages_status_idx")
    .on("inbound_messages")
    .columns(["status", "id"])
    .execute();

  await addSequenceId(db.schema.createTable("outbound_messages"), db)
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("channel_id", "text", (col) => col.notNull().references("channels.id").onDelete("cascade"))
    .addColumn("contact_id", "text", (col) => col.notNull())
    .addColumn("execution_id", "text")
    .addColumn("node_id", "text")
    .addColumn("payload_json", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull().defaultTo("queued"))
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (col) => col.notNull())
    .addColumn("provider_message_id", "text")
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("sent_at", "bigint")
    .addColumn("delivered_at", "bigint")
    .addColumn("read_at", "bigint")
    .execute();
  await db.schema
    .createIndex("outbound_messages_contact_status_idx")
    .on("outbound_messages")
    .columns(["contact_id", "status", "id"])
    .execute();
  await db.schema
    .createIndex("outbound_messages_status_due_idx")
    .on("outbound_messages")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("outbound_messages_provider_idx")
    .on("outbound_messages")
    .column("provider_message_id")
    .execute();

  await db.schema
    .createTable("timers")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("execution_id", "text", (col) => col.notNull().references("executions.id").onDelete("cascade"))
    .addColumn("contact_id", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("node_id", "text", (col) => col.notNull())
    .addColumn("due_at", "bigint", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull().defaultTo("pending"))
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("timers_status_due_idx").on("timers").columns(["status", "due_at"]).execute();
  await db.schema.createIndex("timers_execution_idx").on("timers").column("execution_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["timers", "outbound_messages", "inbound_messages"]) {
    await db.schema.dropTable(table).execute();
  }
}
