/**
 * Integration triggers (seed 003): POST /api/webhook/outbound starts a flow for a phone number (API
 * token or editor session); POST /api/webhook/flow/{flowId}/lead records a lead and starts the flow,
 * authenticated by an API token or the flow's own lead-auth settings.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { commonErrors, SECURITY } from "../presenters/shared.ts";
import type { OperatorContext } from "../services/executions-context.ts";
import { getOrganizationId } from "../services/scope.ts";
import { receiveLead, triggerOutbound } from "../services/triggers.ts";

const TAGS = ["triggers"];
/** Seed 003: 30 outbound triggers per minute. */
const OUTBOUND_RATE_LIMIT = { max: 30, timeWindow: "1 minute" };
const LEAD_RATE_LIMIT = { max: 60, timeWindow: "1 minute" };

const phoneField = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{6,32}$/, "A phone number in international format, e.g. +972501234567");
const outboundBody = z.object({
  flow_id: z.string().min(1).max(200),
  phone: phoneField,
  channel_id: z.string().min(1).max(200).optional(),
  name: z.string().trim().min(1).max(255).optional(),
  variables: z.record(z.string(), z.unknown()).optional().describe("Flow variables, e.g. {{customerName}}"),
  idempotency_key: z.string().min(1).max(200).optional().describe("A repeated key starts nothing new"),
});
const leadBody = z.looseObject({
  phone: phoneField,
  name: z.string().trim().max(255).optional(),
  channel_id: z.string().min(1).max(200).optional(),
});
const flowParams = z.object({ flowId: z.string().min(1).max(200) });

/** Registers POST /api/webhook/outbound and POST /api/webhook/flow/{flowId}/lead. */
export function createTriggerRoutes(ctx: OperatorContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      "/api/webhook/outbound",
      {
        preHandler: requireRole("editor"),
        config: { rateLimit: OUTBOUND_RATE_LIMIT },
        schema: {
          tags: TAGS,
          summary: "Start a published flow for a phone number (Bearer API token)",
          security: SECURITY,
          body: outboundBody,
          response: {
            202: z.object({ success: z.literal(true), contact_id: z.string(), queued: z.boolean() }),
            ...commonErrors,
          },
        },
      },
      async (request, reply) => {
        const { flow_id, channel_id, idempotency_key, ...rest } = request.body;
        const started = await triggerOutbound(ctx, getOrganizationId(request.principal), {
          ...rest,
          flowId: flow_id,
          channelId: channel_id,
          idempotencyKey: idempotency_key,
        });
        return reply
          .code(202)
          .send({ success: true as const, contact_id: started.contactId, queued: started.queued });
      },
    );

    app.post(
      "/api/webhook/flow/:flowId/lead",
      {
        config: { rawBody: true, rateLimit: LEAD_RATE_LIMIT },
        schema: {
          tags: TAGS,
          summary: "Push a lead into a flow; its fields become flow variables",
          description:
            "Authenticated by a Bearer API token, or by the flow's `settings.leadAuth`: `none`, `api_key` " +
            "(X-API-Key), `basic`, `bearer` (static token) or `hmac` (X-Signature: hex HMAC-SHA256 of the body).",
          params: flowParams,
          body: leadBody,
          response: {
            202: z.object({ success: z.literal(true), lead_id: z.string(), contact_id: z.string() }),
            ...commonErrors,
          },
        },
      },
      async (request, reply) => {
        const { channel_id, ...fields } = request.body;
        const received = await receiveLead(
          ctx,
          request.params.flowId,
          request.principal,
          { headers: request.headers, rawBody: request.rawBody ?? Buffer.alloc(0) },
          { phone: fields.phone, name: fields.name, channelId: channel_id, fields },
        );
        return reply
          .code(202)
          .send({ success: true as const, lead_id: received.lead.id, contact_id: received.lead.contactId });
      },
    );
  };
}
