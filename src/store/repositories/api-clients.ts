/** API clients: one clientId + hashed apiKey per integration, usable once an admin approves it. */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { fromFlag, toFlag } from "../columns.ts";
import type { ApiClientRecord } from "../records.ts";
import type { ApiClientsTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

export interface NewApiClient {
  organizationId: string;
  clientId: string;
  apiKeyHash: string;
  approved?: boolean;
  at: number;
}

/** Creates an API client (not approved unless said so). */
export async function createApiClient(db: StoreDb, client: NewApiClient): Promise<ApiClientRecord> {
  const row = await db
    .insertInto("api_clients")
    .values({
      id: randomUUID(),
      organization_id: client.organizationId,
      client_id: client.clientId,
      api_key_hash: client.apiKeyHash,
      approved: toFlag(client.approved ?? false),
      created_at: client.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApiClientRecord(row);
}

/** Lists an organization's API clients. */
export async function listApiClients(db: StoreDb, organizationId: string): Promise<ApiClientRecord[]> {
  const rows = await db
    .selectFrom("api_clients")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .orderBy("created_at")
    .execute();
  return rows.map(toApiClientRecord);
}

/** Approves (or revokes) an API client; null when the organization has no such client. */
export async function approveApiClient(
  db: StoreDb,
  organizationId: string,
  id: string,
  approved = true,
): Promise<ApiClientRecord | null> {
  const row = await db
    .updateTable("api_clients")
    .set({ approved: toFlag(approved) })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row ? toApiClientRecord(row) : null;
}

/** Replaces an API client's key hash; null when the organization has no such client. */
export async function rotateApiClient(
  db: StoreDb,
  organizationId: string,
  id: string,
  apiKeyHash: string,
  at: number,
): Promise<ApiClientRecord | null> {
  const row = await db
    .updateTable("api_clients")
    .set({ api_key_hash: apiKeyHash, rotated_at: at })
    .where("organization_id", "=", organizationId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
  return row ? toApiClientRecord(row) : null;
}

/** Finds the client presenting `clientId` at token exchange (across organizations, by design). */
export async function findApiClientByClientId(
  db: StoreDb,
  clientId: string,
): Promise<ApiClientRecord | null> {
  const row = await db
    .selectFrom("api_clients")
    .selectAll()
    .where("client_id", "=", clientId)
    .executeTakeFirst();
  return row ? toApiClientRecord(row) : null;
}

function toApiClientRecord(row: Selectable<ApiClientsTable>): ApiClientRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    clientId: row.client_id,
    apiKeyHash: row.api_key_hash,
    approved: fromFlag(row.approved),
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
  };
}
