/**
 * Settings resources: API access in seed 003's camelCase (the same names /api/auth/api-token takes),
 * and organization members. The API key appears only in the create and rotate answers.
 */
import { z } from "zod";
import type { ApiClientRecord, MemberRecord } from "../../store/index.ts";
import { ROLES } from "../principal.ts";
import { toIso } from "./shared.ts";

export const apiAccessSchema = z.object({
  clientId: z.string(),
  approved: z.boolean(),
  createdAt: z.string(),
  rotatedAt: z.string().nullable(),
});

export const apiAccessStatusSchema = z.object({ apiAccess: apiAccessSchema.nullable() });

export const apiAccessWithKeySchema = apiAccessSchema.extend({
  apiKey: z.string().describe("Shown once: store it in a secrets manager"),
});

export const memberSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  created_at: z.string(),
});

/** The client without its key. */
export function presentApiAccess(client: ApiClientRecord): z.infer<typeof apiAccessSchema> {
  return {
    clientId: client.clientId,
    approved: client.approved,
    createdAt: toIso(client.createdAt),
    rotatedAt: toIso(client.rotatedAt),
  };
}

/** A member of the organization. */
export function presentMember(member: MemberRecord): z.infer<typeof memberSchema> {
  return {
    user_id: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    created_at: toIso(member.createdAt),
  };
}
