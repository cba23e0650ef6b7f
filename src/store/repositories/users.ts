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

/** A member of an organization as the settings page lists it: the user and their role. */
export interface MemberRecord {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
}

/** True when at least one user exists (first-start bootstrap checks this). */
export async function hasAnyUser(db: StoreDb): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The user's role in one organization; null when not a member. */
export async function getMembershipRole(
  db: StoreDb,
  organizationId: string,
  userId: string,
): Promise<Role | null> {
  const row = await db
    .selectFrom("memberships")
    .select("role")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? parseEnum(ROLES, row.role, "memberships.role") : null;
}

/** An organization's members with their user details, oldest membership first. */
export async function listMembersOfOrganization(
  db: StoreDb,
  organizationId: string,
): Promise<MemberRecord[]> {
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select([
      "users.id as user_id",
      "users.email",
      "users.name",
      "memberships.role",
      "memberships.created_at",
    ])
    .where("memberships.organization_id", "=", organizationId)
    .orderBy("memberships.created_at")
    .orderBy("users.id")
    .execute();
  return rows.map((row) => ({
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: parseEnum(ROLES, row.role, "memberships.role"),
    createdAt: row.created_at,
  }));
}

/** Removes a user from an organization (the user row stays); false when not a member. */
export async function removeMembership(
  db: StoreDb,
  organizationId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("memberships")
    .where("organization_id", "=", organizationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** How many owners an organization has (the last one may not leave or be demoted). */
export async function countOwners(db: StoreDb, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .where("organization_id", "=", organizationId)
    .where("role", "=", "owner")
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
