/** Bots (seed 002): list and read for viewers; create, rename and delete for admins and owners. */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { botSchema, presentBot } from "../presenters/bots.ts";
import { commonErrors, errorSchema, idParams, pageSchema, SECURITY, toPage } from "../presenters/shared.ts";
import { addBot, changeBot, listBotsOf, removeBot, requireBot } from "../services/bots.ts";
import type { ServiceContext } from "../services/context.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["bots"];
const createBody = z.object({
  name: z.string().trim().min(1).max(255),
  description: z.string().max(5000).optional(),
});
const updateBody = createBody.partial();

/** Registers GET/POST /api/bots and GET/PUT/DELETE /api/bots/{id}. */
export function createBotRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const read = { preHandler: requireRole("viewer") };
    const write = { preHandler: requireRole("admin") };

    app.get(
      "/api/bots",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "List bots",
          security: SECURITY,
          response: { 200: pageSchema(botSchema), ...commonErrors },
        },
      },
      async (request) => {
        const bots = await listBotsOf(ctx, getOrganizationId(request.principal));
        return toPage(bots.map(presentBot), bots.length);
      },
    );

    app.post(
      "/api/bots",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Create a bot",
          security: SECURITY,
          body: createBody,
          response: { 201: botSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const bot = await addBot(ctx, getOrganizationId(request.principal), request.body);
        return reply.code(201).send(presentBot(bot));
      },
    );

    app.get(
      "/api/bots/:id",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "A bot",
          security: SECURITY,
          params: idParams,
          response: { 200: botSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentBot(await requireBot(ctx, getOrganizationId(request.principal), request.params.id)),
    );

    app.put(
      "/api/bots/:id",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Rename or re-describe a bot",
          security: SECURITY,
          params: idParams,
          body: updateBody,
          response: { 200: botSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentBot(
          await changeBot(ctx, getOrganizationId(request.principal), request.params.id, request.body),
        ),
    );

    app.delete(
      "/api/bots/:id",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Delete a bot (not the default one); its channels and flows stay",
          security: SECURITY,
          params: idParams,
          response: { 204: z.null().describe("Deleted"), ...commonErrors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        await removeBot(ctx, getOrganizationId(request.principal), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
