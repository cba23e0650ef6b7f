/**
 * Published versions of a flow: list, read one by number, restore one into the draft. Viewers read;
 * editors and above restore.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import {
  flowSchema,
  flowVersionSchema,
  flowVersionSummarySchema,
  presentFlow,
  presentFlowVersion,
  presentFlowVersionSummary,
} from "../presenters/flows.ts";
import { commonErrors, idParams, pageSchema, SECURITY, toPage } from "../presenters/shared.ts";
import type { ServiceContext } from "../services/context.ts";
import { listVersionsOfFlow, requireFlowVersion, restoreFlowVersion } from "../services/flow-versions.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["flows"];
const versionParams = idParams.extend({ version: z.coerce.number().int().min(1) });

/** Registers GET /api/flows/{id}/versions[/{version}] and POST .../{version}/restore. */
export function createFlowVersionRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/flows/:id/versions",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "A flow's published versions, newest first",
          security: SECURITY,
          params: idParams,
          response: { 200: pageSchema(flowVersionSummarySchema), ...commonErrors },
        },
      },
      async (request) => {
        const { flow, versions } = await listVersionsOfFlow(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
        );
        return toPage(
          versions.map((version) => presentFlowVersionSummary(version, flow)),
          versions.length,
        );
      },
    );

    app.get(
      "/api/flows/:id/versions/:version",
      {
        preHandler: requireRole("viewer"),
        schema: {
          tags: TAGS,
          summary: "One version with its graph",
          security: SECURITY,
          params: versionParams,
          response: { 200: flowVersionSchema, ...commonErrors },
        },
      },
      async (request) => {
        const { id, version } = request.params;
        const found = await requireFlowVersion(ctx, getOrganizationId(request.principal), id, version);
        return presentFlowVersion(found.version, found.flow);
      },
    );

    app.post(
      "/api/flows/:id/versions/:version/restore",
      {
        preHandler: requireRole("editor"),
        schema: {
          tags: TAGS,
          summary: "Copy a version's graph into the draft (publish again to make it live)",
          security: SECURITY,
          params: versionParams,
          response: { 200: flowSchema, ...commonErrors },
        },
      },
      async (request) => {
        const { id, version } = request.params;
        return presentFlow(await restoreFlowVersion(ctx, getOrganizationId(request.principal), id, version));
      },
    );
  };
}
