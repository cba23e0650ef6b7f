/**
 * Portable flow files: export a draft as versioned JSON that another Parley instance imports as a new,
 * inactive draft. The graph inside is the stored ReactFlow graph, unchanged.
 */
import { z } from "zod";
import type { FlowGraph } from "../../core/flow.ts";
import type { FlowRecord } from "../../store/index.ts";
import type { ServiceContext } from "./context.ts";
import { createDraftFlow, requireFlow } from "./flows.ts";

export const FLOW_FILE_FORMAT = "parley.flow";
export const FLOW_FILE_VERSION = 1;

/** The file `GET /api/flows/{id}/export` answers and `POST /api/flows/import` accepts. */
export const flowFileSchema = z.object({
  format: z.literal(FLOW_FILE_FORMAT),
  format_version: z.literal(FLOW_FILE_VERSION),
  name: z.string().trim().min(1).max(255),
  description: z.string().max(5000).default(""),
  graph: z.object({
    version: z.number().int().optional(),
    nodes: z.array(z.unknown()).default([]),
    edges: z.array(z.unknown()).default([]),
    menus: z.array(z.unknown()).default([]),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
  exported_at: z.string().optional(),
});
export type FlowFile = z.infer<typeof flowFileSchema>;

export interface ExportedFlow {
  format: typeof FLOW_FILE_FORMAT;
  format_version: typeof FLOW_FILE_VERSION;
  name: string;
  description: string;
  graph: FlowGraph;
  exported_at: string;
}

/** The draft of a flow as a portable file. */
export async function exportFlow(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<ExportedFlow> {
  const flow = await requireFlow(ctx, organizationId, id);
  return {
    format: FLOW_FILE_FORMAT,
    format_version: FLOW_FILE_VERSION,
    name: flow.name,
    description: flow.description,
    graph: flow.graph,
    exported_at: new Date(ctx.now()).toISOString(),
  };
}

/** Creates an inactive, unpublished draft from a flow file; `name` overrides the file's name. */
export function importFlow(
  ctx: ServiceContext,
  organizationId: string,
  file: FlowFile,
  name?: string,
): Promise<FlowRecord> {
  return createDraftFlow(
    ctx,
    organizationId,
    {
      name: name ?? file.name,
      description: file.description,
      nodes: file.graph.nodes,
      edges: file.graph.edges,
      menus: file.graph.menus,
      settings: file.graph.settings,
      isActive: false,
    },
    "body.graph",
  );
}
