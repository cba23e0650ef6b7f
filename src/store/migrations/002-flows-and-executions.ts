/**
 * Flows and what runs them: flows, immutable flow versions, contacts, executions, their step logs and
 * leads pushed through the API.
 */
import type { Kysely } from "kysely";
import { addFlag, addSequenceId } from "./column-types.ts";

export async function up(db: Kysely<unknown>): Promise<void> {
  let flows = db.schema
    .createTable("flows")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) =>
      col.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("bot_id", "text", (col) => col.references("bots.id").onDelete("set null"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("description", "text", (col) => col.notNull().defaultTo(""))
    .addColumn("graph_json", "text", (col) => col.notNull());
  flows = addFlag(flows, db, "is_active", false);
  flows = addFlag(flows, db, "is_published", false);
  flows = addFlag(flows, db, "is_default", false);
  await flows
    .addColumn("trigger_keywords_json", "text", (col) => col.notNull().defaultTo("[]"))
    .addColumn("published_version_id", "text")
    .addColumn("execution_count", "bigint", (col) => col.notNull().defaultTo(0))
    .addColumn("last_executed_at", "bigint")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("published_at", "bigint")
    .execute();
  await db.schema
    .createIndex("flows_org_active_idx")
    .on("flows")
    .columns(["organization_id", "is_active"])
    .execute();

  await db.schema
    .createTable("flow_versions")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("flow_id", "text", (col) => col.notNull().references("flows.id").onDelete("cascade"))
    .addColumn("version", "integer", (col) => col.notNull())
    .addColumn("graph_json", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("created_by", "text")
    .addUniqueConstraint("flow_versions_flow_version_key", ["flow_id", "version"])
    .execute();

  await addFlag(
    db.schema
      .createTable("contacts")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("organization_id", "text", (col) => col.notNull())
      .addColumn("channel_id", "text", (col) => col.notNull().references("channels.id").onDelete("cascade"))
      .addColumn("external_id", "text", (col) => col.notNull())
      .addColumn("name", "text")
      .addColumn("phone", "text")
      .addColumn("attributes_json", "text", (col) => col.notNull().defaultTo("{}"))
      .addColumn("tags_json", "text", (col) => col.notNull().defaultTo("[]"))
      .addColumn("last_inbound_at", "bigint"),
    db,
    "opted_out",
    false,
  )
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addUniqueConstraint("contacts_channel_external_id_key", ["channel_id", "external_id"])
    .execute();
  await db.schema
    .createIndex("contacts_org_idx")
    .on("contacts")
    .columns(["organization_id", "created_at"])
    .execute();

  await db.schema
    .createTable("executions")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("flow_id", "text", (col) => col.notNull().references("flows.id").onDelete("cascade"))
    .addColumn("flow_version_id", "text", (col) => col.notNull())
    .addColumn("contact_id", "text", (col) => col.notNull().references("contacts.id").onDelete("cascade"))
    .addColumn("channel_id", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("current_node_id", "text")
    .addColumn("state_json", "text", (col) => col.notNull())
    .addColumn("trigger_json", "text")
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("error_node_id", "text")
    .addColumn("started_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("completed_at", "bigint")
    .execute();
  await db.schema
    .createIndex("executions_contact_status_idx")
    .on("executions")
    .columns(["organization_id", "contact_id", "status"])
    .execute();
  await db.schema
    .createIndex("executions_flow_status_idx")
    .on("executions")
    .columns(["flow_id", "status"])
    .execute();
  await db.schema
    .createIndex("executions_org_started_idx")
    .on("executions")
    .columns(["organization_id", "started_at"])
    .execute();
  await db.schema.createIndex("executions_contact_idx").on("executions").column("contact_id").execute();

  await addSequenceId(db.schema.createTable("execution_logs"), db)
    .addColumn("execution_id", "text", (col) => col.notNull().references("executions.id").onDelete("cascade"))
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("node_id", "text", (col) => col.notNull())
    .addColumn("node_type", "text", (col) => col.notNull())
    .addColumn("action", "text", (col) => col.notNull())
    .addColumn("input_json", "text")
    .addColumn("output_json", "text")
    .addColumn("message", "text")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("execution_logs_execution_idx")
    .on("execution_logs")
    .columns(["execution_id", "id"])
    .execute();

  await db.schema
    .createTable("leads")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) => col.notNull())
    .addColumn("flow_id", "text", (col) => col.notNull().references("flows.id").onDelete("cascade"))
    .addColumn("contact_id", "text", (col) => col.notNull().references("contacts.id").onDelete("cascade"))
    .addColumn("execution_id", "text")
    .addColumn("payload_json", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("leads_org_created_idx")
    .on("leads")
    .columns(["organization_id", "created_at"])
    .execute();
  await db.schema.createIndex("leads_flow_idx").on("leads").column("flow_id").execute();
  await db.schema.createIndex("leads_contact_idx").on("leads").column("contact_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["leads", "execution_logs", "executions", "contacts", "flow_versions", "flows"]) {
    await db.schema.dropTable(table).execute();
  }
}
