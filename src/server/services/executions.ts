/**
 * Executions (seed 000): list and filter an organization's runs, read one with its step log, and
 * cancel one through the runtime so timers stop and live listeners hear of it.
 */
import { ParleyError } from "../../core/errors.ts";
import type { ExecutionStatus } from "../../core/execution.ts";
import {
  type ExecutionLogRecord,
  type ExecutionRecord,
  getExecution,
  listExecutionLogs,
  listExecutions,
  type Page,
} from "../../store/index.ts";
import { getFlowNames } from "../../store/repositories/flow-lookups.ts";
import type { PageRequest } from "./context.ts";
import type { OperatorContext } from "./executions-context.ts";

export interface ExecutionListQuery extends PageRequest {
  flowId?: string | undefined;
  contactId?: string | undefined;
  statuses?: ExecutionStatus[] | undefined;
}

export interface ExecutionPage extends Page<ExecutionRecord> {
  flowNames: Map<string, string>;
}

export interface ExecutionDetail {
  execution: ExecutionRecord;
  flowName: string | null;
  logs: ExecutionLogRecord[];
}

/** One page of executions, newest first, with the names of their flows. */
export async function listExecutionPage(
  ctx: OperatorContext,
  organizationId: string,
  query: ExecutionListQuery,
): Promise<ExecutionPage> {
  const page = await listExecutions(ctx.db, organizationId, {
    ...(query.flowId === undefined ? {} : { flowId: query.flowId }),
    ...(query.contactId === undefined ? {} : { contactId: query.contactId }),
    ...(query.statuses === undefined ? {} : { statuses: query.statuses }),
    page: query.page,
    pageSize: query.pageSize,
  });
  const flowNames = await getFlowNames(
    ctx.db,
    organizationId,
    page.rows.map((row) => row.flowId),
  );
  return { ...page, flowNames };
}

/** One execution with its flow's name and its log, or 404. */
export async function requireExecutionDetail(
  ctx: OperatorContext,
  organizationId: string,
  id: string,
): Promise<ExecutionDetail> {
  const execution = await getExecution(ctx.db, organizationId, id);
  if (!execution) throw executionNotFound(id);
  const [names, logs] = await Promise.all([
    getFlowNames(ctx.db, organizationId, [execution.flowId]),
    listExecutionLogs(ctx.db, organizationId, id),
  ]);
  return { execution, flowName: names.get(execution.flowId) ?? null, logs };
}

/** Cancels a running or waiting execution; 404 when unknown, EXECUTION_FINISHED when it already ended. */
export async function cancelExecutionById(
  ctx: OperatorContext,
  organizationId: string,
  id: string,
): Promise<ExecutionRecord> {
  const result = await ctx.runtime.cancelExecution(organizationId, id);
  if (result === null) throw executionNotFound(id);
  if (result === "finished")
    throw new ParleyError("EXECUTION_FINISHED", "The execution has already finished.");
  return result;
}

function executionNotFound(id: string): ParleyError {
  return new ParleyError("EXECUTION_NOT_FOUND", `No execution with id "${id}" in this organization.`);
}
