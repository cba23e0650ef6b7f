/**
 * Settings → Members: list the organization's users, add one with a password and role, change a
 * role, remove a member. Admins and owners only; only owners touch the owner role.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { memberSchema, presentMember } from "../presenters/settings.ts";
import { commonErrors, errorSchema, pageSchema, SECURITY, toPage } from "../presenters/shared.ts";
import { getEffectiveRole, ROLES } from "../principal.ts";
import type { ServiceContext } from "../services/context.ts";
import { addMember, changeMemberRole, listMembers, removeMember } from "../services/members.ts";
import { getOrganizationId, requirePrincipal } from "../services/scope.ts";

const TAGS = ["settings"];
const memberParams = z.object({ userId: z.string().min(1).max(200) });
const createBody = z.object({
  email: z.email().max(254),
  password: z.string().min(12, "must be at least 12 characters").max(1024),
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(255).optional(),
});
const patchBody = z.object({ role: z.enum(ROLES) });

/** Registers GET/POST /api/settings/members and PATCH/DELETE /api/settings/members/{userId}. */
export function createMemberRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = { preHandler: requireRole("admin") };

    app.get(
      "/api/settings/members",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "The organization's members",
          security: SECURITY,
          response: { 200: pageSchema(memberSchema), ...commonErrors },
        },
      },
      async (request) => {
        const members = await listMembers(ctx, getOrganizationId(request.principal));
        return toPage(members.map(presentMember), members.length);
      },
    );

    app.post(
      "/api/settings/members",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Create a user with a password and role in this organization",
          security: SECURITY,
          body: createBody,
          response: { 201: memberSchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request.principal);
        const member = await addMember(
          ctx,
          principal.organizationId,
          getEffectiveRole(principal),
          request.body,
        );
        return reply.code(201).send(presentMember(member));
      },
    );

    app.patch(
      "/api/settings/members/:userId",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Change a member's role (the last owner cannot be demoted)",
          security: SECURITY,
          params: memberParams,
          body: patchBody,
          response: { 200: memberSchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request) => {
        const principal = requirePrincipal(request.principal);
        const member = await changeMemberRole(
          ctx,
          principal.organizationId,
          getEffectiveRole(principal),
          request.params.userId,
          request.body.role,
        );
        return presentMember(member);
      },
    );

    app.delete(
      "/api/settings/members/:userId",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Remove a member (the last owner cannot be removed)",
          security: SECURITY,
          params: memberParams,
          response: { 204: z.null().describe("Removed"), ...commonErrors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request.principal);
        await removeMember(ctx, principal.organizationId, getEffectiveRole(principal), request.params.userId);
        return reply.code(204).send(null);
      },
    );
  };
}
