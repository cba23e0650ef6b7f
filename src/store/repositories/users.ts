/** Users and their memberships (a role in an organization). Emails are stored lower-cased. */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { parseEnum } from "../columns.ts";
import type { MembershipRecord, Role, UserRecord } from "../records.ts";
import type { UsersTable } from "../schema.ts";
import type { StoreDb } from "../transaction.ts";

const ROLES: readonly Role[] = ["owner", "admin", "editor", "viewer"];

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  at: number;
}

/** Creates a user; throws on a duplicate email (unique constraint). */
export async function createUser(db: StoreDb, user: NewUser): Promise<UserRecord> {
  const row = await db
    .insertInto("users")
    .values({
      id: randomUUID(),
      email: normalizeEmail(user.email),
      name: user.name,
      password_hash: user.passwordHash,
      created_at: user.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUserRecord(row);
}

/** Finds a user by id. */
export async function getUser(db: StoreDb, id: string): Promise<UserRecord | null> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toUserRecord(row) : null;
}

/** Finds a user by email, case-insensitively. */
export async function findUserByEmail(db: StoreDb, email: string): Promise<UserRecord | null> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", normalizeEmail(email))
    .executeTakeFirst();
  return row ? toUserRecord(row) : null;
}

/** Gives a user a role in an organization (or changes it). */
export async function addMembership(
  db: StoreDb,
  membership: { organizationId: string; userId: string; role: Role; at: number },
): Promise<void> {
  await db
    .insertInto("memberships")
    .values({
      organization_id: membership.organizationId,
      user_id: membership.userId,
      role: membership.role,
      created_at: membership.at,
    })
    .onConflict((oc) => oc.columns(["organization_id", "user_id"]).doUpdateSet({ role: membership.role }))
    .execute();
}

/** The organizations a user belongs to, with the role in each. */
export async function listMembershipsOfUser(db: StoreDb, userId: string): Promise<MembershipRecord[]> {
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("organizations", "organizations.id", "memberships.organization_id")
    .select([
      "memberships.organization_id",
      "organizations.name as organization_name",
      "memberships.user_id",
      "memberships.role",
      "memberships.created_at",
    ])
    .where("memberships.user_id", "=", userId)
    .orderBy("memberships.created_at")
    .execute();
  return rows.map((row) => ({
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    userId: row.user_id,
    role: parseEnum(ROLES, row.role, "memberships.role"),
    createdAt: row.created_at,
  }));
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUserRecord(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}
