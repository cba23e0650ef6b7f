/**
 * The caller's organization and identity as services need them. Routes run requireRole first, so a
 * missing principal here is a wiring mistake answered as 401 rather than a crash.
 */
import { ParleyError } from "../../core/errors.ts";
import type { Principal } from "../principal.ts";

/** The principal of an authenticated request. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw new ParleyError("UNAUTHENTICATED");
  return principal;
}

/** The organization every query of this request is scoped to. */
export function getOrganizationId(principal: Principal | null): string {
  return requirePrincipal(principal).organizationId;
}

/** The acting user's id, or null for API clients (recorded as the author of versions). */
export function getActingUserId(principal: Principal | null): string | null {
  const caller = requirePrincipal(principal);
  return caller.kind === "user" ? caller.userId : null;
}

/** A 404 for an id that is unknown or belongs to another organization (never a 403: DESIGN §9). */
export function notFound(resource: string, id: string): ParleyError {
  return new ParleyError("NOT_FOUND", `No ${resource} with id "${id}" in this organization.`);
}
