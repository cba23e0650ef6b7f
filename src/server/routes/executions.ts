/**
 * Executions (seed 000): viewers list (filters `flow_id`, `status`, `contact_id`, pagination) and read
 * one with its step log; editors and above cancel one that has not finished.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { EXECUTION_STATUSES } from "../../core/execution.ts";
import { requireRole } from "../auth.ts";
import {
  executionDetailSchema,
  executionSummarySchema,
  presentExecutionDetail,
  presentExecutionSummary,
} from "../presenters/execution.ts";
import {
  commonErrors,
  errorSchema,
  idParams,
  pageQuerySchema,
  pageSchema,
  SECURITY,
  toPage,
} from "../presenters/shared.ts";
import { cancelExecutionById, listExecutionPage, requireExecutionDetail } from "../services/executions.ts";
import type { OperatorContext } from "../services/executions-context.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["executions"];

/** `status=a&status=b` or `status=a,b`. */
const statusQuery = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((part) => part.split(","))
      .map((part) => part.trim())
      .filter((part) => part !== ""),
  )
  .pipe(z.array(z.enum(EXECUTION_STATUSES)));

const listQuery = pageQuerySchema.extend({
  flow_id: z.string().min(1).max(200).optional(),
  contact_id: z.string().min(1).max(200).optional(),
  status: statusQuery.optional().describe("One or more statuses, repeated or comma-separated"),
});
const cancelledSchema = z.object({
  status: z.literal("cancelled"),
  message: z.string(),
  execution: executionSummarySchema,
});

/** Registers GET /api/executions, GET /api/executions/{id} and POST /api/executions/{id}/cancel. */
export function createExecutionRoutes(ctx: OperatorContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/executions",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "List executions, newest first (filters `flow_id`, `status`, `contact_id`)",
          security: SECURITY,
          querystring: listQuery,
          response: { 200: pageSchema(executionSummarySchema), ...commonErrors },
        },
      },
      async (request) => {
        const { flow_id, contact_id, status, page, page_size } = request.query;
        const found = await listExecutionPage(ctx, getOrganizationId(request.principal), {
          flowId: flow_id,
          contactId: contact_id,
          statuses: status,
          page,
          pageSize: page_size,
        });
        const results = found.rows.map((row) =>
          presentExecutionSummary(row, found.flowNames.get(row.flowId) ?? null),
        );
        return toPage(results, found.total, { url: request.url, page, pageSize: page_size });
      },
    );

    app.get(
      "/api/executions/:id",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "An execution with its visited nodes, variables and step log",
          security: SECURITY,
          params: idParams,
          response: { 200: executionDetailSchema, ...commonErrors },
        },
      },
      async (request) => {
        const found = await requireExecutionDetail(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
        );
        return presentExecutionDetail(found.execution, found.flowName, found.logs, ctx.now());
      },
    );

    app.post(
      "/api/executions/:id/cancel",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Cancel an execution that has not finished (EXECUTION_FINISHED otherwise)",
          security: SECURITY,
          params: idParams,
          response: { 200: cancelledSchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request) => {
        const execution = await cancelExecutionById(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
        );
        return {
          status: "cancelled" as const,
          message: "The execution has been cancelled.",
          execution: presentExecutionSummary(execution),
        };
      },
    );
  };
}
