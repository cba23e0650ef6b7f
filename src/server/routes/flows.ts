/**
 * Flow drafts (seed 000): list with search, filters and pagination; create; read; update with
 * optimistic concurrency; delete. Viewers read, editors and above write.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ParleyError } from "../../core/errors.ts";
import { requireRole } from "../auth.ts";
import { flowSchema, flowSummarySchema, presentFlow, presentFlowSummary } from "../presenters/flows.ts";
import {
  commonErrors,
  errorSchema,
  idParams,
  pageQuerySchema,
  pageSchema,
  queryFlag,
  SECURITY,
  toPage,
} from "../presenters/shared.ts";
import type { ServiceContext } from "../services/context.ts";
import {
  createDraftFlow,
  listFlowPage,
  removeFlow,
  requireFlow,
  updateDraftFlow,
} from "../services/flows.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["flows"];

const graphFields = {
  nodes: z.array(z.unknown()).optional().describe("ReactFlow nodes `{id, type, position, data}`"),
  edges: z.array(z.unknown()).optional().describe("ReactFlow edges `{id, source, target, sourceHandle?}`"),
  menus: z.array(z.unknown()).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
};
const nameField = z.string().trim().min(1).max(255);
const createBody = z.object({
  name: nameField,
  description: z.string().max(5000).optional(),
  is_active: z.boolean().optional(),
  bot_id: z.string().nullable().optional(),
  ...graphFields,
});
const timestamp = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]);
const updateBody = createBody.partial().extend({
  name: nameField.optional(),
  updated_at: timestamp.optional().describe("The updated_at you read; a newer flow answers 409 CONFLICT"),
});
const listQuery = pageQuerySchema.extend({
  q: z.string().trim().max(200).optional().describe("Part of the name, case-insensitive"),
  is_active: queryFlag.optional(),
  is_published: queryFlag.optional(),
  bot_id: z.string().optional(),
});
const updateHeaders = z.object({
  "if-unmodified-since": z
    .string()
    .optional()
    .describe("Alternative to body.updated_at: the ISO updated_at read"),
});

/** Registers GET/POST /api/flows and GET/PUT/DELETE /api/flows/{id}. */
export function createFlowRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/flows",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "List flows (search `q`, filters, pagination)",
          security: SECURITY,
          querystring: listQuery,
          response: { 200: pageSchema(flowSummarySchema), ...commonErrors },
        },
      },
      async (request) => {
        const { q, is_active, is_published, bot_id, page, page_size } = request.query;
        const organizationId = getOrganizationId(request.principal);
        const found = await listFlowPage(ctx, organizationId, {
          search: q,
          isActive: is_active,
          isPublished: is_published,
          botId: bot_id,
          page,
          pageSize: page_size,
        });
        return toPage(found.rows.map(presentFlowSummary), found.total, {
          url: request.url,
          page,
          pageSize: page_size,
        });
      },
    );

    app.post(
      "/api/flows",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Create a draft flow; the graph is validated",
          security: SECURITY,
          body: createBody,
          response: { 201: flowSchema, ...commonErrors },
        },
      },
      async (request, reply) => {
        const { is_active, bot_id, ...rest } = request.body;
        const flow = await createDraftFlow(ctx, getOrganizationId(request.principal), {
          ...rest,
          isActive: is_active,
          botId: bot_id,
        });
        return reply.code(201).send(presentFlow(flow));
      },
    );

    app.get(
      "/api/flows/:id",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "A flow with its draft graph",
          security: SECURITY,
          params: idParams,
          response: { 200: flowSchema, ...commonErrors },
        },
      },
      async (request) =>
        presentFlow(await requireFlow(ctx, getOrganizationId(request.principal), request.params.id)),
    );

    app.put(
      "/api/flows/:id",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Update a flow; send the updated_at you read to avoid overwriting newer work",
          security: SECURITY,
          params: idParams,
          headers: updateHeaders,
          body: updateBody,
          response: { 200: flowSchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request) => {
        const { updated_at, is_active, bot_id, ...rest } = request.body;
        const expected = readExpectedUpdatedAt(updated_at, request.headers["if-unmodified-since"]);
        const flow = await updateDraftFlow(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
          { ...rest, isActive: is_active, botId: bot_id },
          expected,
        );
        return presentFlow(flow);
      },
    );

    app.delete(
      "/api/flows/:id",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Delete a flow with its versions and executions",
          security: SECURITY,
          params: idParams,
          response: { 204: z.null().describe("Deleted"), ...commonErrors },
        },
      },
      async (request, reply) => {
        await removeFlow(ctx, getOrganizationId(request.principal), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}

function readExpectedUpdatedAt(
  body: number | string | undefined,
  header: string | undefined,
): number | undefined {
  const value = body ?? header;
  if (value === undefined) return undefined;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ParleyError("VALIDATION_FAILED", "If-Unmodified-Since must be the flow's ISO updated_at.", [
      { path: "headers.if-unmodified-since", message: "is not an ISO 8601 timestamp" },
    ]);
  }
  return ms;
}
