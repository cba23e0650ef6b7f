/**
 * Per-node analytics of one flow for the builder's canvas overlay: visits, runs waiting at each
 * node, drop-offs and the completion rate. Viewers read.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { type FlowAnalytics, summarizeFlowNodes } from "../../store/repositories/flow-analytics.ts";
import { requireRole } from "../auth.ts";
import { commonErrors, idParams, SECURITY } from "../presenters/shared.ts";
import type { ServiceContext } from "../services/context.ts";
import { requireFlow } from "../services/flows.ts";
import { getOrganizationId } from "../services/scope.ts";

const analyticsQuery = z.object({
  since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .optional()
    .describe("Only executions started at or after this ISO date or date-time"),
});

const nodeAnalyticsSchema = z.object({
  node_id: z.string(),
  visits: z.number().int().describe("Distinct executions that entered the node"),
  waiting_now: z.number().int().describe("Executions waiting for input at the node now"),
  dropped_here: z.number().int().describe("Executions expired, failed, cancelled or waiting at the node"),
  drop_off_rate: z.number().describe("dropped_here over the executions that reached the node, 0 to 1"),
});

export const flowAnalyticsSchema = z.object({
  executions: z.number().int(),
  completed: z.number().int(),
  completion_rate: z.number().describe("completed / executions, 0 to 1 (0 when there are none)"),
  nodes: z.array(nodeAnalyticsSchema),
});

/** Registers GET /api/flows/{id}/analytics. */
export function createFlowAnalyticsRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/flows/:id/analytics",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: ["flows"],
          summary: "Per-node visits and drop-offs of a flow's executions, and its completion rate",
          security: SECURITY,
          params: idParams,
          querystring: analyticsQuery,
          response: { 200: flowAnalyticsSchema, ...commonErrors },
        },
      },
      async (request) => {
        const organizationId = getOrganizationId(request.principal);
        const flow = await requireFlow(ctx, organizationId, request.params.id);
        const { since } = request.query;
        const analytics = await summarizeFlowNodes(ctx.db, organizationId, flow.id, {
          ...(since !== undefined && { since: Date.parse(since) }),
        });
        return presentFlowAnalytics(analytics);
      },
    );
  };
}

/** The analytics in the API's snake_case, with the rates rounded to four decimals. */
export function presentFlowAnalytics(analytics: FlowAnalytics): z.infer<typeof flowAnalyticsSchema> {
  return {
    executions: analytics.executions,
    completed: analytics.completed,
    completion_rate: rate(analytics.completed, analytics.executions),
    nodes: analytics.byNode.map((node) => ({
      node_id: node.nodeId,
      visits: node.visits,
      waiting_now: node.waitingNow,
      dropped_here: node.droppedHere,
      // A run can stop at a node its log never entered (a failed jump); it still reached the node.
      drop_off_rate: rate(node.droppedHere, Math.max(node.visits, node.droppedHere)),
    })),
  };
}

function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}
