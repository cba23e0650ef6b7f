/**
 * Flow drafts: list, create, read, update with optimistic concurrency, delete. Every graph that is
 * saved has been parsed first, and its trigger keywords are re-derived on each save.
 */
import { ParleyError } from "../../core/errors.ts";
import {
  createFlow,
  deleteFlow,
  type FlowRecord,
  getBot,
  getFlow,
  listFlows,
  type Page,
  updateFlow,
} from "../../store/index.ts";
import type { PageRequest, ServiceContext } from "./context.ts";
import { deriveTriggerKeywords, type GraphParts, parseDraftGraph } from "./flow-graphs.ts";
import { notFound } from "./scope.ts";

export interface FlowListQuery extends PageRequest {
  search?: string | undefined;
  isActive?: boolean | undefined;
  isPublished?: boolean | undefined;
  botId?: string | undefined;
}

export interface FlowDraftInput extends GraphParts {
  name: string;
  description?: string | undefined;
  isActive?: boolean | undefined;
  botId?: string | null | undefined;
}

export type FlowChanges = Partial<FlowDraftInput>;

/** One page of the organization's flows. */
export function listFlowPage(
  ctx: ServiceContext,
  organizationId: string,
  query: FlowListQuery,
): Promise<Page<FlowRecord>> {
  return listFlows(ctx.db, organizationId, {
    search: query.search,
    isActive: query.isActive,
    isPublished: query.isPublished,
    botId: query.botId,
    page: query.page,
    pageSize: query.pageSize,
  });
}

/** The flow, or a 404 when it is unknown or another organization's. */
export async function requireFlow(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<FlowRecord> {
  const flow = await getFlow(ctx.db, organizationId, id);
  if (!flow) throw notFound("flow", id);
  return flow;
}

/** Creates a draft after parsing its graph; the flow starts inactive and unpublished unless asked. */
export async function createDraftFlow(
  ctx: ServiceContext,
  organizationId: string,
  input: FlowDraftInput,
  pathPrefix = "body",
): Promise<FlowRecord> {
  const graph = parseDraftGraph(input, undefined, pathPrefix);
  await checkBot(ctx, organizationId, input.botId);
  return createFlow(ctx.db, {
    organizationId,
    botId: input.botId ?? null,
    name: input.name,
    description: input.description ?? "",
    graph,
    isActive: input.isActive ?? false,
    triggerKeywords: deriveTriggerKeywords(graph),
    at: ctx.now(),
  });
}

/**
 * Applies the fields sent; graph parts not sent are kept. With `expectedUpdatedAt` (the updated_at the
 * editor read) a flow changed since answers 409 CONFLICT instead of overwriting someone else's work.
 */
export async function updateDraftFlow(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
  changes: FlowChanges,
  expectedUpdatedAt?: number,
): Promise<FlowRecord> {
  const current = await requireFlow(ctx, organizationId, id);
  const touchesGraph = [changes.nodes, changes.edges, changes.menus, changes.settings].some(
    (part) => part !== undefined,
  );
  const graph = touchesGraph ? parseDraftGraph(changes, current.graph) : undefined;
  await checkBot(ctx, organizationId, changes.botId);
  const result = await updateFlow(
    ctx.db,
    organizationId,
    id,
    {
      name: changes.name,
      description: changes.description,
      isActive: changes.isActive,
      botId: changes.botId,
      ...(graph && { graph, triggerKeywords: deriveTriggerKeywords(graph) }),
      at: ctx.now(),
    },
    expectedUpdatedAt,
  );
  if (result === "conflict") throw conflictingEdit();
  if (!result) throw notFound("flow", id);
  return result;
}

/** Deletes a flow with its versions and executions. */
export async function removeFlow(ctx: ServiceContext, organizationId: string, id: string): Promise<void> {
  if (!(await deleteFlow(ctx.db, organizationId, id))) throw notFound("flow", id);
}

/** The 409 a stale editor gets. */
export function conflictingEdit(): ParleyError {
  return new ParleyError(
    "CONFLICT",
    "The flow was changed since you loaded it; reload it and apply your change again.",
  );
}

async function checkBot(
  ctx: ServiceContext,
  organizationId: string,
  botId: string | null | undefined,
): Promise<void> {
  if (botId === undefined || botId === null) return;
  if (await getBot(ctx.db, organizationId, botId)) return;
  throw new ParleyError("VALIDATION_FAILED", "Unknown bot.", [
    { path: "body.bot_id", message: `No bot with id "${botId}" in this organization.` },
  ]);
}
