/** Leads pushed through the API (seed 003), linked to a contact and, once started, an execution. */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { parseJson, toJson } from "../columns.ts";
import type { LeadRecord, Page } from "../records.ts";
import type { LeadsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewLead {
  organizationId: string;
  flowId: string;
  contactId: string;
  executionId?: string | null;
  payload: unknown;
  at: number;
}

/** Records a lead. */
export async function createLead(db: StoreDb, lead: NewLead): Promise<LeadRecord> {
  const row = await db
    .insertInto("leads")
    .values({
      id: randomUUID(),
      organization_id: lead.organizationId,
      flow_id: lead.flowId,
      contact_id: lead.contactId,
      execution_id: lead.executionId ?? null,
      payload_json: toJson(lead.payload),
      created_at: lead.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toLeadRecord(row);
}

/** Finds one lead of an organization. */
export async function getLead(db: StoreDb, organizationId: string, id: string): Promise<LeadRecord | null> {
  const row = await db
    .selectFrom("leads")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toLeadRecord(row) : null;
}

/** Lists an organization's leads, newest first, optionally of one flow. */
export async function listLeads(
  db: StoreDb,
  organizationId: string,
  filter: { flowId?: string; page?: number; pageSize?: number } = {},
): Promise<Page<LeadRecord>> {
  let query = db.selectFrom("leads").where("organization_id", "=", organizationId);
  if (filter.flowId !== undefined) query = query.where("flow_id", "=", filter.flowId);
  const pageSize = filter.pageSize ?? 50;
  const offset = ((filter.page ?? 1) - 1) * pageSize;
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow(),
    query.selectAll().orderBy("created_at", "desc").orderBy("id").limit(pageSize).offset(offset).execute(),
  ]);
  return { total: Number(count.total), rows: rows.map(toLeadRecord) };
}

/** Links a lead to the execution it started; false when not found. */
export async function setLeadExecution(
  db: StoreDb,
  organizationId: string,
  id: string,
  executionId: string,
): Promise<boolean> {
  const result = await db
    .updateTable("leads")
    .set({ execution_id: executionId })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toLeadRecord(row: Selectable<LeadsTable>): LeadRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    flowId: row.flow_id,
    contactId: row.contact_id,
    executionId: row.execution_id,
    payload: parseJson<unknown>(row.payload_json),
    createdAt: row.created_at,
  };
}
