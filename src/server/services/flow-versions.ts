/**
 * Published versions of a flow: list them, read one by number, and restore one into the draft (the
 * draft changes; publishing it again makes a new version, history is never rewritten).
 */
import {
  type FlowRecord,
  type FlowVersionRecord,
  getFlowVersionByNumber,
  listFlowVersions,
  updateFlow,
} from "../../store/index.ts";
import type { ServiceContext } from "./context.ts";
import { deriveTriggerKeywords } from "./flow-graphs.ts";
import { requireFlow } from "./flows.ts";
import { notFound } from "./scope.ts";

/** A flow's versions, newest first, with the flow (to mark the published one). */
export async function listVersionsOfFlow(
  ctx: ServiceContext,
  organizationId: string,
  flowId: string,
): Promise<{ flow: FlowRecord; versions: FlowVersionRecord[] }> {
  const flow = await requireFlow(ctx, organizationId, flowId);
  return { flow, versions: await listFlowVersions(ctx.db, organizationId, flowId) };
}

/** One version by number, or 404. */
export async function requireFlowVersion(
  ctx: ServiceContext,
  organizationId: string,
  flowId: string,
  version: number,
): Promise<{ flow: FlowRecord; version: FlowVersionRecord }> {
  const flow = await requireFlow(ctx, organizationId, flowId);
  const found = await getFlowVersionByNumber(ctx.db, organizationId, flowId, version);
  if (!found) throw notFound("version", String(version));
  return { flow, version: found };
}

/** Copies a version's graph into the draft, bumping updated_at (open editors must reload). */
export async function restoreFlowVersion(
  ctx: ServiceContext,
  organizationId: string,
  flowId: string,
  version: number,
): Promise<FlowRecord> {
  const { version: found } = await requireFlowVersion(ctx, organizationId, flowId, version);
  const restored = await updateFlow(ctx.db, organizationId, flowId, {
    graph: found.graph,
    triggerKeywords: deriveTriggerKeywords(found.graph),
    at: ctx.now(),
  });
  if (!restored || restored === "conflict") throw notFound("flow", flowId);
  return restored;
}
