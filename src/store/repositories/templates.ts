/** WhatsApp templates and template groups (ordered fallbacks), per organization. */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { parseJson, toJson } from "../columns.ts";
import type { TemplateGroupRecord, TemplateRecord } from "../records.ts";
import type { TemplateGroupsTable, TemplatesTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewTemplate {
  organizationId: string;
  channelId?: string | null;
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
  at: number;
}

/** Creates a template. */
export async function createTemplate(db: StoreDb, template: NewTemplate): Promise<TemplateRecord> {
  const row = await db
    .insertInto("templates")
    .values({
      id: randomUUID(),
      organization_id: template.organizationId,
      channel_id: template.channelId ?? null,
      name: template.name,
      language: template.language,
      category: template.category,
      status: template.status,
      components_json: toJson(template.components),
      created_at: template.at,
      updated_at: template.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTemplateRecord(row);
}

/** Lists an organization's templates by name, optionally of one channel. */
export async function listTemplates(
  db: StoreDb,
  organizationId: string,
  filter: { channelId?: string; name?: string } = {},
): Promise<TemplateRecord[]> {
  let query = db.selectFrom("templates").selectAll().where("organization_id", "=", organizationId);
  if (filter.channelId !== undefined) query = query.where("channel_id", "=", filter.channelId);
  if (filter.name !== undefined) query = query.where("name", "=", filter.name);
  const rows = await query.orderBy("name").orderBy("language").execute();
  return rows.map(toTemplateRecord);
}

/** Finds one template of an organization. */
export async function getTemplate(
  db: StoreDb,
  organizationId: string,
  id: string,
): Promise<TemplateRecord | null> {
  const row = await db
    .selectFrom("templates")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toTemplateRecord(row) : null;
}

/** Creates a template group: template ids in fallback order. */
export async function createTemplateGroup(
  db: StoreDb,
  group: { organizationId: string; name: string; templateIds: string[]; at: number },
): Promise<TemplateGroupRecord> {
  const row = await db
    .insertInto("template_groups")
    .values({
      id: randomUUID(),
      organization_id: group.organizationId,
      name: group.name,
      template_ids_json: toJson(group.templateIds),
      created_at: group.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTemplateGroupRecord(row);
}

/** Lists an organization's template groups by name. */
export async function listTemplateGroups(
  db: StoreDb,
  organizationId: string,
): Promise<TemplateGroupRecord[]> {
  const rows = await db
    .selectFrom("template_groups")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("name")
    .execute();
  return rows.map(toTemplateGroupRecord);
}

/** Finds one template group of an organization. */
export async function getTemplateGroup(
  db: StoreDb,
  organizationId: string,
  id: string,
): Promise<TemplateGroupRecord | null> {
  const row = await db
    .selectFrom("template_groups")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toTemplateGroupRecord(row) : null;
}

function toTemplateRecord(row: Selectable<TemplatesTable>): TemplateRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    channelId: row.channel_id,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    components: parseJson<unknown[]>(row.components_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toTemplateGroupRecord(row: Selectable<TemplateGroupsTable>): TemplateGroupRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    templateIds: parseJson<string[]>(row.template_ids_json),
    createdAt: row.created_at,
  };
}
