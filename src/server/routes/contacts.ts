/** Contacts: viewers list, search and read; editors and above change name, attributes, tags, opt-out. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { contactSchema, presentContact } from "../presenters/contacts.ts";
import {
  commonErrors,
  idParams,
  pageQuerySchema,
  pageSchema,
  SECURITY,
  toPage,
} from "../presenters/shared.ts";
import { editContact, listContactPage, requireContact } from "../services/contacts.ts";
import type { ServiceContext } from "../services/context.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["contacts"];
const listQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().describe("Part of the name, phone or external id"),
  tag: z.string().trim().min(1).max(100).optional(),
  channel_id: z.string().optional(),
});
const patchBody = z
  .object({
    name: z.string().trim().max(255).nullable(),
    attributes: z.record(z.string(), z.unknown()),
    tags: z.array(z.string().trim().min(1).max(100)).max(100),
    opted_out: z.boolean(),
  })
  .partial();

/** Registers GET /api/contacts, GET /api/contacts/{id} and PATCH /api/contacts/{id}. */
export function createContactRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/contacts",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "List contacts (search `q`, `tag`, `channel_id`, pagination)",
          security: SECURITY,
          querystring: listQuery,
          response: { 200: pageSchema(contactSchema), ...commonErrors },
        },
      },
      async (request) => {
        const { q, tag, channel_id, page, page_size } = request.query;
        const found = await listContactPage(ctx, getOrganizationId(request.principal), {
          search: q,
          tag,
          channelId: channel_id,
          page,
          pageSize: page_size,
        });
        return toPage(found.rows.map(presentContact), found.total, {
          url: request.url,
          page,
          pageSize: page_size,
        });
      },
    );

    app.get(
      "/api/contacts/:id",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "A contact",
          security: SECURITY,
          params: idParams,
          response: { 200: contactSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentContact(await requireContact(ctx, getOrganizationId(request.principal), request.params.id)),
    );

    app.patch(
      "/api/contacts/:id",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Change a contact's name, attributes, tags or opt-out",
          security: SECURITY,
          params: idParams,
          body: patchBody,
          response: { 200: contactSchema, ...commonErrors },
        },
      },
      async (request) => {
        const { opted_out, ...rest } = request.body;
        const contact = await editContact(ctx, getOrganizationId(request.principal), request.params.id, {
          ...rest,
          optedOut: opted_out,
        });
        return presentContact(contact);
      },
    );
  };
}
