/**
 * Seed 000's actions on one flow (publish, unpublish, duplicate, validate, stats) and the portable
 * export/import. Viewers read; editors and above change.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import {
  presentPublishRefused,
  presentStats,
  publishedSchema,
  publishRefusedSchema,
  statsSchema,
  unpublishedSchema,
  validationSchema,
} from "../presenters/flow-actions.ts";
import { flowSchema, presentFlow } from "../presenters/flows.ts";
import { commonErrors, errorSchema, idParams, SECURITY, toIso } from "../presenters/shared.ts";
import type { ServiceContext } from "../services/context.ts";
import {
  computeFlowStats,
  duplicateFlow,
  publishDraft,
  unpublishDraft,
  validateDraft,
} from "../services/flow-actions.ts";
import { exportFlow, flowFileSchema, importFlow } from "../services/flow-transfer.ts";
import { getActingUserId, getOrganizationId } from "../services/scope.ts";

const TAGS = ["flows"];
const importBody = flowFileSchema.extend({
  rename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .optional()
    .describe("Name for the new draft instead of the file's"),
});
const exportSchema = flowFileSchema.extend({
  graph: flowSchema
    .pick({ nodes: true, edges: true, menus: true, settings: true })
    .extend({ version: z.number().int() }),
});

/** Registers the flow action routes and export/import. */
export function createFlowActionRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const read = { preHandler: requireRole("viewer") };
    const write = { preHandler: requireRole("editor") };

    app.post(
      "/api/flows/:id/publish",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Validate and publish: snapshots the draft as a new numbered version",
          security: SECURITY,
          params: idParams,
          response: {
            200: publishedSchema,
            ...commonErrors,
            400: z.union([publishRefusedSchema, errorSchema]),
          },
        },
      },
      async (request, reply) => {
        const outcome = await publishDraft(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
          getActingUserId(request.principal),
        );
        if (!outcome.published) return reply.code(400).send(presentPublishRefused(outcome.validation));
        return {
          status: "published" as const,
          message: `Flow '${outcome.flow.name}' is now active`,
          published_at: toIso(outcome.version.createdAt),
          version: outcome.version.version,
          flow: presentFlow(outcome.flow),
        };
      },
    );

    app.post(
      "/api/flows/:id/unpublish",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Stop new executions from starting on this flow",
          security: SECURITY,
          params: idParams,
          response: { 200: unpublishedSchema, ...commonErrors },
        },
      },
      async (request) => {
        const flow = await unpublishDraft(ctx, getOrganizationId(request.principal), request.params.id);
        return {
          status: "unpublished" as const,
          message: `Flow '${flow.name}' is now inactive`,
          flow: presentFlow(flow),
        };
      },
    );

    app.post(
      "/api/flows/:id/duplicate",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: 'Copy a flow as "<name> (Copy)", inactive and unpublished',
          security: SECURITY,
          params: idParams,
          response: { 201: flowSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const copy = await duplicateFlow(ctx, getOrganizationId(request.principal), request.params.id);
        return reply.code(201).send(presentFlow(copy));
      },
    );

    app.get(
      "/api/flows/:id/validate",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "Validate the saved draft: every error and warning",
          security: SECURITY,
          params: idParams,
          response: { 200: validationSchema, ...commonErrors },
        },
      },
      async (request) => validateDraft(ctx, getOrganizationId(request.principal), request.params.id),
    );

    app.get(
      "/api/flows/:id/stats",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "Execution statistics of a flow",
          security: SECURITY,
          params: idParams,
          response: { 200: statsSchema, ...commonErrors },
        },
      },
      async (request) => {
        const { flow, stats } = await computeFlowStats(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
        );
        return presentStats(flow, stats);
      },
    );

    app.get(
      "/api/flows/:id/export",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "The draft as a portable flow file",
          security: SECURITY,
          params: idParams,
          response: { 200: exportSchema, ...commonErrors },
        },
      },
      async (request) => exportFlow(ctx, getOrganizationId(request.principal), request.params.id),
    );

    app.post(
      "/api/flows/import",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Create an inactive draft from a flow file",
          security: SECURITY,
          body: importBody,
          response: { 201: flowSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const { rename, ...file } = request.body;
        const flow = await importFlow(ctx, getOrganizationId(request.principal), file, rename);
        return reply.code(201).send(presentFlow(flow));
      },
    );
  };
}
