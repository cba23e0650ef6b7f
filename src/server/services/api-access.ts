/**
 * Seed 003's API access: one clientId + apiKey per organization, blocked until an admin approves it.
 * The key is shown once, at creation and at each rotation; only its hash is stored.
 */
import { ParleyError } from "../../core/errors.ts";
import {
  type ApiClientRecord,
  approveApiClient,
  createApiClient,
  listApiClients,
  rotateApiClient,
} from "../../store/index.ts";
import { generateApiKey, generateClientId, hashApiKey } from "../api-keys.ts";
import type { ServiceContext } from "./context.ts";

/** The organization's API client, or null before one is created. */
export async function findApiAccess(
  ctx: ServiceContext,
  organizationId: string,
): Promise<ApiClientRecord | null> {
  const [client] = await listApiClients(ctx.db, organizationId);
  return client ?? null;
}

/** Creates the organization's client, unapproved; answers 409 when it already has one (rotate instead). */
export async function createApiAccess(
  ctx: ServiceContext,
  organizationId: string,
): Promise<{ client: ApiClientRecord; apiKey: string }> {
  if (await findApiAccess(ctx, organizationId)) {
    throw new ParleyError("CONFLICT", "API access already exists; rotate the key to get a new one.");
  }
  const apiKey = generateApiKey();
  const client = await createApiClient(ctx.db, {
    organizationId,
    clientId: generateClientId(),
    apiKeyHash: hashApiKey(apiKey),
    at: ctx.now(),
  });
  return { client, apiKey };
}

/** Approves (or, with false, blocks again) the organization's client. */
export async function approveApiAccess(
  ctx: ServiceContext,
  organizationId: string,
  approved: boolean,
): Promise<ApiClientRecord> {
  const client = await requireApiAccess(ctx, organizationId);
  const updated = await approveApiClient(ctx.db, organizationId, client.id, approved);
  if (!updated) throw noApiAccess();
  return updated;
}

/** Replaces the key; the old one stops working at once. */
export async function rotateApiAccess(
  ctx: ServiceContext,
  organizationId: string,
): Promise<{ client: ApiClientRecord; apiKey: string }> {
  const client = await requireApiAccess(ctx, organizationId);
  const apiKey = generateApiKey();
  const updated = await rotateApiClient(ctx.db, organizationId, client.id, hashApiKey(apiKey), ctx.now());
  if (!updated) throw noApiAccess();
  return { client: updated, apiKey };
}

async function requireApiAccess(ctx: ServiceContext, organizationId: string): Promise<ApiClientRecord> {
  const client = await findApiAccess(ctx, organizationId);
  if (!client) throw noApiAccess();
  return client;
}

function noApiAccess(): ParleyError {
  return new ParleyError("NOT_FOUND", "This organization has no API access yet; create it first.");
}
