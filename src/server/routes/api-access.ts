/**
 * Settings → API Access (seed 003): read the organization's client, create it (key shown once),
 * approve or block it, rotate its key. Admins and owners only.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import {
  apiAccessSchema,
  apiAccessStatusSchema,
  apiAccessWithKeySchema,
  presentApiAccess,
} from "../presenters/settings.ts";
import { commonErrors, errorSchema, SECURITY } from "../presenters/shared.ts";
import { approveApiAccess, createApiAccess, findApiAccess, rotateApiAccess } from "../services/api-access.ts";
import type { ServiceContext } from "../services/context.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["settings"];
// Optional: an empty POST approves.
const approveBody = z
  .object({ approved: z.boolean().optional().describe("false blocks the client again") })
  .nullish();

/** Registers GET/POST /api/settings/api-access and its approve and rotate actions. */
export function createApiAccessRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const admin = { preHandler: requireRole("admin") };

    app.get(
      "/api/settings/api-access",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "The organization's API client (never its key)",
          security: SECURITY,
          response: { 200: apiAccessStatusSchema, ...commonErrors },
        },
      },
      async (request) => {
        const client = await findApiAccess(ctx, getOrganizationId(request.principal));
        return { apiAccess: client ? presentApiAccess(client) : null };
      },
    );

    app.post(
      "/api/settings/api-access",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Create the API client; the key is shown once and works after approval",
          security: SECURITY,
          response: { 201: apiAccessWithKeySchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const { client, apiKey } = await createApiAccess(ctx, getOrganizationId(request.principal));
        return reply.code(201).send({ ...presentApiAccess(client), apiKey });
      },
    );

    app.post(
      "/api/settings/api-access/approve",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Approve (or block) API usage",
          security: SECURITY,
          body: approveBody,
          response: { 200: apiAccessSchema, ...commonErrors },
        },
      },
      async (request) => {
        const client = await approveApiAccess(
          ctx,
          getOrganizationId(request.principal),
          request.body?.approved ?? true,
        );
        return presentApiAccess(client);
      },
    );

    app.post(
      "/api/settings/api-access/rotate",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Replace the API key; the new key is shown once",
          security: SECURITY,
          response: { 200: apiAccessWithKeySchema, ...commonErrors },
        },
      },
      async (request) => {
        const { client, apiKey } = await rotateApiAccess(ctx, getOrganizationId(request.principal));
        return { ...presentApiAccess(client), apiKey };
      },
    );
  };
}
