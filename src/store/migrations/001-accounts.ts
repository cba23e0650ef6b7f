/**
 * Tenants, people and platform connections: organizations, users, memberships, API clients, bots,
 * channels, WhatsApp templates and template groups.
 */
import type { Kysely } from "kysely";
import { addFlag } from "./column-types.ts";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("email", "text", (col) => col.notNull().unique())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("password_hash", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("memberships")
    .addColumn("organization_id", "text", (col) =>
      col.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (col) => col.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("memberships_pk", ["organization_id", "user_id"])
    .execute();
  await db.schema.createIndex("memberships_user_idx").on("memberships").column("user_id").execute();

  await addFlag(
    db.schema
      .createTable("api_clients")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("organization_id", "text", (col) =>
        col.notNull().references("organizations.id").onDelete("cascade"),
      )
      .addColumn("client_id", "text", (col) => col.notNull().unique())
      .addColumn("api_key_hash", "text", (col) => col.notNull()),
    db,
    "approved",
    false,
  )
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("rotated_at", "bigint")
    .execute();
  await db.schema.createIndex("api_clients_org_idx").on("api_clients").column("organization_id").execute();

  await addFlag(
    db.schema
      .createTable("bots")
      .addColumn("id", "text", (col) => col.primaryKey())
      .addColumn("organization_id", "text", (col) =>
        col.notNull().references("organizations.id").onDelete("cascade"),
      )
      .addColumn("name", "text", (col) => col.notNull())
      .addColumn("description", "text", (col) => col.notNull().defaultTo("")),
    db,
    "is_default",
    false,
  )
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("bots_org_idx").on("bots").columns(["organization_id", "is_default"]).execute();

  await db.schema
    .createTable("channels")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) =>
      col.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("bot_id", "text", (col) => col.references("bots.id").onDelete("set null"))
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("external_id", "text")
    .addColumn("config_json", "text", (col) => col.notNull().defaultTo("{}"))
    .addColumn("secrets_encrypted", "text")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addUniqueConstraint("channels_kind_external_id_key", ["kind", "external_id"])
    .execute();
  await db.schema.createIndex("channels_org_idx").on("channels").column("organization_id").execute();

  await db.schema
    .createTable("templates")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) =>
      col.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("channel_id", "text", (col) => col.references("channels.id").onDelete("set null"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("language", "text", (col) => col.notNull())
    .addColumn("category", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("components_json", "text", (col) => col.notNull().defaultTo("[]"))
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("templates_org_name_idx")
    .on("templates")
    .columns(["organization_id", "name"])
    .execute();

  await db.schema
    .createTable("template_groups")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("organization_id", "text", (col) =>
      col.notNull().references("organizations.id").onDelete("cascade"),
    )
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("template_ids_json", "text", (col) => col.notNull().defaultTo("[]"))
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("template_groups_org_idx")
    .on("template_groups")
    .column("organization_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "template_groups",
    "templates",
    "channels",
    "bots",
    "api_clients",
    "memberships",
    "users",
    "organizations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
