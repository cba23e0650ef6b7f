/**
 * Conversations (seed 003): viewers list them and read a transcript with the 24 h window; editors and
 * above reply (text, media or template) and hand a taken-over conversation back to the bot.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import {
  conversationDetailSchema,
  conversationSummarySchema,
  presentConversationDetail,
  presentConversationSummary,
} from "../presenters/conversation.ts";
import {
  commonErrors,
  errorSchema,
  pageQuerySchema,
  pageSchema,
  SECURITY,
  toPage,
} from "../presenters/shared.ts";
import {
  describeWindow,
  handConversationBack,
  listConversationPage,
  replyToConversation,
  requireConversation,
} from "../services/conversations.ts";
import type { OperatorContext } from "../services/executions-context.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["conversations"];
const contactParams = z.object({ contactId: z.string().min(1).max(200) });
const listQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().describe("Part of the name, phone or external id"),
  channel_id: z.string().min(1).max(200).optional(),
});
const replyBody = z.union([
  z.strictObject({ text: z.string().trim().min(1).max(4096) }),
  z.strictObject({
    media: z.strictObject({
      type: z.enum(["image", "video", "audio", "document"]),
      url: z.url().max(2048),
      caption: z.string().max(1024).optional(),
      filename: z.string().max(255).optional(),
    }),
  }),
  z.strictObject({
    template: z.strictObject({
      name: z.string().trim().min(1).max(512),
      language: z.string().trim().min(2).max(15),
      params: z.array(z.string().max(1024)).max(20).default([]),
    }),
  }),
]);
const replySchema = z.object({
  success: z.literal(true),
  outbound_id: z.number().int(),
  windowOpen: z.boolean().describe("Whether the 24 h window was open when the reply was queued"),
});

/** Registers GET /api/conversations, GET /api/conversations/{contactId}, and its reply and handback. */
export function createConversationRoutes(ctx: OperatorContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/conversations",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "List conversations (one per contact), most recently active first",
          security: SECURITY,
          querystring: listQuery,
          response: { 200: pageSchema(conversationSummarySchema), ...commonErrors },
        },
      },
      async (request) => {
        const { q, channel_id, page, page_size } = request.query;
        const found = await listConversationPage(ctx, getOrganizationId(request.principal), {
          search: q,
          channelId: channel_id,
          page,
          pageSize: page_size,
        });
        const now = ctx.now();
        const results = found.rows.map((row) => {
          const kind = found.channelKinds.get(row.contact.channelId);
          return presentConversationSummary(row, kind ?? null, describeWindow(row.contact, kind, now));
        });
        return toPage(results, found.total, { url: request.url, page, pageSize: page_size });
      },
    );

    app.get(
      "/api/conversations/:contactId",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "A conversation's transcript, oldest first, with delivery statuses and the 24 h window",
          security: SECURITY,
          params: contactParams,
          response: { 200: conversationDetailSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentConversationDetail(
          await requireConversation(ctx, getOrganizationId(request.principal), request.params.contactId),
        ),
    );

    app.post(
      "/api/conversations/:contactId/reply",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary:
            "Reply as an agent: `{text}`, `{media}` or `{template}` (only a template once the window closed)",
          security: SECURITY,
          params: contactParams,
          body: replyBody,
          response: { 202: replySchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const organizationId = getOrganizationId(request.principal);
        const sent = await replyToConversation(ctx, organizationId, request.params.contactId, request.body);
        return reply
          .code(202)
          .send({ success: true as const, outbound_id: sent.outboundId, windowOpen: sent.windowOpen });
      },
    );

    app.post(
      "/api/conversations/:contactId/handback",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Hand a conversation an operator took over back to the bot",
          security: SECURITY,
          params: contactParams,
          response: { 202: z.object({ success: z.literal(true) }), ...commonErrors },
        },
      },
      async (request, reply) => {
        await handConversationBack(ctx, getOrganizationId(request.principal), request.params.contactId);
        return reply.code(202).send({ success: true as const });
      },
    );
  };
}
