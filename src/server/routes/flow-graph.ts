/**
 * Seed 001's nodes and edges of one flow as REST sub-resources. Edges accept seed 001's
 * `source_node`/`target_node` as well as ReactFlow's `source`/`target`. Viewers read; editors write.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { edgeSchema, nodeSchema, presentEdge, presentNode } from "../presenters/flow-graph.ts";
import { commonErrors, errorSchema, idParams, pageSchema, SECURITY, toPage } from "../presenters/shared.ts";
import type { ServiceContext } from "../services/context.ts";
import { addEdge, addNode, changeNode, removeEdge, removeNode } from "../services/flow-graph.ts";
import { requireFlow } from "../services/flows.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["flow graph"];
const itemId = z.string().min(1).max(200);
const nodeParams = idParams.extend({ nodeId: itemId });
const edgeParams = idParams.extend({ edgeId: itemId });
const position = z.object({ x: z.number(), y: z.number() });
const nodeFields = {
  type: z.string().min(1).max(64),
  position: position.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
};
const createNodeBody = z.object({ id: itemId.optional(), ...nodeFields });
const updateNodeBody = z.object(nodeFields).partial();
const handle = z.string().max(200).nullish();
const createEdgeBody = z
  .object({
    id: itemId.optional(),
    source: itemId.optional(),
    target: itemId.optional(),
    source_node: itemId.optional().describe("Seed 001's name for source"),
    target_node: itemId.optional().describe("Seed 001's name for target"),
    sourceHandle: handle,
    targetHandle: handle,
    label: z.unknown().optional(),
    trigger: z.string().max(64).optional().describe('e.g. "button_click"'),
    trigger_value: z.string().max(256).optional().describe("The button title that follows this edge"),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((edge, issues) => {
    if (!edge.source && !edge.source_node)
      issues.addIssue({ code: "custom", path: ["source"], message: "source (or source_node) is required" });
    if (!edge.target && !edge.target_node)
      issues.addIssue({ code: "custom", path: ["target"], message: "target (or target_node) is required" });
  });
const noContent = { 204: z.null().describe("Deleted") };

/** Registers /api/flows/{id}/nodes[/{nodeId}] and /api/flows/{id}/edges[/{edgeId}]. */
export function createFlowGraphRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    const read = { preHandler: requireRole("viewer") };
    const write = { preHandler: requireRole("editor") };
    const writeErrors = { ...commonErrors, 409: errorSchema };

    app.get(
      "/api/flows/:id/nodes",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "The nodes of a flow's draft",
          security: SECURITY,
          params: idParams,
          response: { 200: pageSchema(nodeSchema), ...commonErrors },
        },
      },
      async (request) => {
        const flow = await requireFlow(ctx, getOrganizationId(request.principal), request.params.id);
        return toPage(
          flow.graph.nodes.map((node) => presentNode(node, flow)),
          flow.graph.nodes.length,
        );
      },
    );

    app.post(
      "/api/flows/:id/nodes",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Add a node",
          security: SECURITY,
          params: idParams,
          body: createNodeBody,
          response: { 201: nodeSchema, ...writeErrors },
        },
      },
      async (request, reply) => {
        const { flow, node } = await addNode(
          ctx,
          getOrganizationId(request.principal),
          request.params.id,
          request.body,
        );
        return reply.code(201).send(presentNode(node, flow));
      },
    );

    app.put(
      "/api/flows/:id/nodes/:nodeId",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Change a node's type, position or data",
          security: SECURITY,
          params: nodeParams,
          body: updateNodeBody,
          response: { 200: nodeSchema, ...writeErrors },
        },
      },
      async (request) => {
        const { id, nodeId } = request.params;
        const { flow, node } = await changeNode(
          ctx,
          getOrganizationId(request.principal),
          id,
          nodeId,
          request.body,
        );
        return presentNode(node, flow);
      },
    );

    app.delete(
      "/api/flows/:id/nodes/:nodeId",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Delete a node and its edges",
          security: SECURITY,
          params: nodeParams,
          response: { ...noContent, ...writeErrors },
        },
      },
      async (request, reply) => {
        await removeNode(ctx, getOrganizationId(request.principal), request.params.id, request.params.nodeId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/flows/:id/edges",
      {
        ...read,
        schema: {
          tags: TAGS,
          summary: "The edges of a flow's draft",
          security: SECURITY,
          params: idParams,
          response: { 200: pageSchema(edgeSchema), ...commonErrors },
        },
      },
      async (request) => {
        const flow = await requireFlow(ctx, getOrganizationId(request.principal), request.params.id);
        return toPage(
          flow.graph.edges.map((edge) => presentEdge(edge, flow)),
          flow.graph.edges.length,
        );
      },
    );

    app.post(
      "/api/flows/:id/edges",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Connect two nodes",
          security: SECURITY,
          params: idParams,
          body: createEdgeBody,
          response: { 201: edgeSchema, ...writeErrors },
        },
      },
      async (request, reply) => {
        const { source, source_node, target, target_node, ...rest } = request.body;
        const { flow, edge } = await addEdge(ctx, getOrganizationId(request.principal), request.params.id, {
          ...rest,
          source: source ?? source_node ?? "",
          target: target ?? target_node ?? "",
        });
        return reply.code(201).send(presentEdge(edge, flow));
      },
    );

    app.delete(
      "/api/flows/:id/edges/:edgeId",
      {
        ...write,
        schema: {
          tags: TAGS,
          summary: "Delete an edge",
          security: SECURITY,
          params: edgeParams,
          response: { ...noContent, ...writeErrors },
        },
      },
      async (request, reply) => {
        await removeEdge(ctx, getOrganizationId(request.principal), request.params.id, request.params.edgeId);
        return reply.code(204).send(null);
      },
    );
  };
}
