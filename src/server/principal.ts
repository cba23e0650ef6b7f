/**
 * Who is calling: a signed-in user (session cookie) or an API client (bearer JWT), always inside one
 * organization, with a membership role. Roles are ordered so checks read as "at least editor".
 */

export const ROLES = ["viewer", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

export type Principal =
  | { kind: "user"; organizationId: string; userId: string; role: Role }
  | { kind: "api"; organizationId: string; clientId: string; role: Role };

/** The role a principal acts with: API clients count as admin of their organization. */
export function getEffectiveRole(principal: Principal): Role {
  return principal.kind === "api" ? "admin" : principal.role;
}

/** True when the principal's effective role is `min` or above. */
export function hasRole(principal: Principal, min: Role): boolean {
  return ROLES.indexOf(getEffectiveRole(principal)) >= ROLES.indexOf(min);
}
