/**
 * WhatsApp templates and template groups (seed 003). Viewers read; editors and above create. Groups
 * answer at /api/template-groups and at seed 003's /api/templates/groups.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { commonErrors, idParams, pageSchema, SECURITY, toPage } from "../presenters/shared.ts";
import {
  presentTemplate,
  presentTemplateGroup,
  templateGroupSchema,
  templateSchema,
} from "../presenters/templates.ts";
import type { ServiceContext } from "../services/context.ts";
import { getOrganizationId } from "../services/scope.ts";
import {
  addTemplate,
  addTemplateGroup,
  listTemplateGroupsOf,
  listTemplatesOf,
  requireTemplate,
} from "../services/templates.ts";

const TAGS = ["templates"];
const listQuery = z.object({ channel_id: z.string().optional(), name: z.string().optional() });
const createBody = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "must be lower-case letters, digits and underscores"),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'must be a language code like "en" or "en_US"'),
  category: z.enum(["MARKETING", "UTILITY", "AUTHENTICATION"]),
  status: z.enum(["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED"]).default("APPROVED"),
  components: z.array(z.record(z.string(), z.unknown())).max(10).default([]),
  channel_id: z.string().nullable().optional(),
});
const createGroupBody = z.object({
  name: z.string().trim().min(1).max(255),
  template_ids: z.array(z.string().min(1)).min(1).max(20),
});

/** Registers the template and template group routes. */
export function createTemplateRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const read = { preHandler: requireRole("viewer") };
    const write = { preHandler: requireRole("editor") };

    app.get(
      "/api/templates",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "List templates",
          security: SECURITY,
          querystring: listQuery,
          response: { 200: pageSchema(templateSchema), ...commonErrors },
        },
      },
      async (request) => {
        const { channel_id, name } = request.query;
        const templates = await listTemplatesOf(ctx, getOrganizationId(request.principal), {
          channelId: channel_id,
          name,
        });
        return toPage(templates.map(presentTemplate), templates.length);
      },
    );

    app.post(
      "/api/templates",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Record a WhatsApp template",
          security: SECURITY,
          body: createBody,
          response: { 201: templateSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const { channel_id, ...rest } = request.body;
        const template = await addTemplate(ctx, getOrganizationId(request.principal), {
          ...rest,
          channelId: channel_id,
        });
        return reply.code(201).send(presentTemplate(template));
      },
    );

    for (const url of ["/api/template-groups", "/api/templates/groups"]) {
      app.get(
        url,
        {
          ...read,
          schema: {
            tags: TAGS,
            summary: "List template groups",
            security: SECURITY,
            response: { 200: pageSchema(templateGroupSchema), ...commonErrors },
          },
        },
        async (request) => {
          const groups = await listTemplateGroupsOf(ctx, getOrganizationId(request.principal));
          return toPage(groups.map(presentTemplateGroup), groups.length);
        },
      );

      app.post(
        url,
        {
          ...write,
          schema: {
            tags: TAGS,
            summary: "Create a template group (ordered fallbacks)",
            security: SECURITY,
            body: createGroupBody,
            response: { 201: templateGroupSchema, ...commonErrors },
          },
        },
        async (request, reply) => {
          const group = await addTemplateGroup(ctx, getOrganizationId(request.principal), {
            name: request.body.name,
            templateIds: request.body.template_ids,
          });
          return reply.code(201).send(presentTemplateGroup(group));
        },
      );
    }

    app.get(
      "/api/templates/:id",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "A template",
          security: SECURITY,
          params: idParams,
          response: { 200: templateSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentTemplate(await requireTemplate(ctx, getOrganizationId(request.principal), request.params.id)),
    );
  };
}
