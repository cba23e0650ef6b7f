/**
 * Organization members: add a user with a role, change roles, remove. Only owners grant or touch the
 * owner role, and the last owner can never be demoted or removed (the organization would be orphaned).
 */
import { ParleyError } from "../../core/errors.ts";
import {
  addMembership,
  countOwners,
  createUser,
  findUserByEmail,
  getMembershipRole,
  listMembersOfOrganization,
  type MemberRecord,
  removeMembership,
  runInTransaction,
} from "../../store/index.ts";
import { hashPassword } from "../passwords.ts";
import type { Role } from "../principal.ts";
import type { ServiceContext } from "./context.ts";
import { notFound } from "./scope.ts";

export interface NewMemberInput {
  email: string;
  password: string;
  role: Role;
  name?: string | undefined;
}

/** The organization's members. */
export function listMembers(ctx: ServiceContext, organizationId: string): Promise<MemberRecord[]> {
  return listMembersOfOrganization(ctx.db, organizationId);
}

/** Creates a user and makes them a member; an e-mail already registered answers 409. */
export async function addMember(
  ctx: ServiceContext,
  organizationId: string,
  actorRole: Role,
  input: NewMemberInput,
): Promise<MemberRecord> {
  checkMayGrant(actorRole, input.role);
  if (await findUserByEmail(ctx.db, input.email)) {
    throw new ParleyError("CONFLICT", "A user with this e-mail already exists.");
  }
  const passwordHash = await hashPassword(input.password);
  const at = ctx.now();
  const name = input.name ?? input.email.split("@")[0] ?? input.email;
  const user = await createUser(ctx.db, { email: input.email, name, passwordHash, at });
  await addMembership(ctx.db, { organizationId, userId: user.id, role: input.role, at });
  return { userId: user.id, email: user.email, name: user.name, role: input.role, createdAt: at };
}

/** Changes a member's role; demoting the last owner answers 409. */
export async function changeMemberRole(
  ctx: ServiceContext,
  organizationId: string,
  actorRole: Role,
  userId: string,
  role: Role,
): Promise<MemberRecord> {
  return runInTransaction(ctx.db, async (trx) => {
    const current = await getMembershipRole(trx, organizationId, userId);
    if (!current) throw notFound("member", userId);
    checkMayGrant(actorRole, current);
    checkMayGrant(actorRole, role);
    if (current === "owner" && role !== "owner") await checkNotLastOwner(trx, organizationId);
    await addMembership(trx, { organizationId, userId, role, at: ctx.now() });
    const member = (await listMembersOfOrganization(trx, organizationId)).find((m) => m.userId === userId);
    if (!member) throw notFound("member", userId);
    return member;
  });
}

/** Removes a member from the organization (the user account stays); the last owner answers 409. */
export async function removeMember(
  ctx: ServiceContext,
  organizationId: string,
  actorRole: Role,
  userId: string,
): Promise<void> {
  await runInTransaction(ctx.db, async (trx) => {
    const current = await getMembershipRole(trx, organizationId, userId);
    if (!current) throw notFound("member", userId);
    checkMayGrant(actorRole, current);
    if (current === "owner") await checkNotLastOwner(trx, organizationId);
    await removeMembership(trx, organizationId, userId);
  });
}

function checkMayGrant(actorRole: Role, role: Role): void {
  if (role === "owner" && actorRole !== "owner") {
    throw new ParleyError("FORBIDDEN", "Only an owner may grant, change or remove the owner role.");
  }
}

async function checkNotLastOwner(db: ServiceContext["db"], organizationId: string): Promise<void> {
  if ((await countOwners(db, organizationId)) <= 1) {
    throw new ParleyError("CONFLICT", "The organization's last owner cannot be removed or demoted.");
  }
}
