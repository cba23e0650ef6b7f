/**
 * Processes one inbox row: load → advance → save, in one transaction (DESIGN §6 step 3). The row is
 * closed in that same transaction, so a row is stepped exactly once even if two workers race or the
 * process dies half-way (then nothing was committed and the row is simply processed again).
 */
import { sql } from "kysely";
import type { EngineContext, EngineEvent, TriggerInfo } from "../core/execution.ts";
import { createInitialState, isFinished } from "../core/execution.ts";
import { advance } from "../engine/advance.ts";
import type { CompiledFlow } from "../engine/compile.ts";
import type { Database } from "../store/database.ts";
import { timeOrderedId } from "../store/ids.ts";
import type {
  ChannelRecord,
  ContactRecord,
  ExecutionRecord,
  InboundMessageRecord,
} from "../store/records.ts";
import { getContact } from "../store/repositories/contacts.ts";
import {
  createExecution,
  findActiveExecution,
  getExecution,
  saveExecutionState,
} from "../store/repositories/executions.ts";
import { getFlow, incrementExecutionCount } from "../store/repositories/flows.ts";
import { markInboundProcessed } from "../store/repositories/inbox.ts";
import { cancelTimer, cancelTimersOfExecution } from "../store/repositories/timers.ts";
import type { StoreDb } from "../store/transaction.ts";
import type { WriteBatcher } from "../store/write-batcher.ts";
import type { FlowVersionCache } from "./flow-cache.ts";
import { type InboxEvent, readInboxEvent } from "./inbox-events.ts";
import { type AfterCommit, createAfterCommit, persistStep } from "./persist-step.ts";
import { routeMessage } from "./router.ts";

/** Inbound kinds that carry an answer for a flow; reactions and system notices do not. */
const CONVERSATIONAL = new Set(["text", "button", "media", "location", "contacts", "order"]);

export interface StepperDeps {
  database: Database;
  /** Runs step transactions; on SQLite concurrent steps share one commit. */
  batcher: WriteBatcher;
  flows: FlowVersionCache;
  /**
   * Embedded mode: each contact's active execution as last committed by this process (null: none),
   * so a step need not look it up. Absent entries are read from the store.
   */
  active?: Map<string, ExecutionRecord | null>;
  /** Must use `db`: inside the step transaction SQLite has only that one connection. */
  channel(db: StoreDb, organizationId: string, channelId: string): Promise<ChannelRecord | null>;
  now(): number;
}

type RowOutcome = { status: "processed" | "unhandled" | "failed"; error?: string };

/** Thrown inside the step transaction to roll it back when another worker closed the row first. */
class RowAlreadyClosed extends Error {}

export function createStepper(deps: StepperDeps) {
  const { database, flows } = deps;

  /** Processes one pending row; returns what must happen after the commit, or null if it was already done. */
  async function processRow(
    row: InboundMessageRecord,
    event: InboxEvent = readInboxEvent(row.payload),
  ): Promise<AfterCommit | null> {
    const after = createAfterCommit();
    try {
      await deps.batcher.run(
        async (trx) => {
          const now = deps.now();
          await lockContact(trx, database.dialect, row.contactId);
          const outcome = await handleEvent(trx, row, event, now, after);
          const closed = await markInboundProcessed(trx, row.id, outcome.status, outcome.error, now);
          if (!closed) throw new RowAlreadyClosed();
        },
        () => rememberActive(deps.active, after),
      );
    } catch (error) {
      if (error instanceof RowAlreadyClosed) return null;
      throw error;
    }
    return after;
  }

  /** Closes a row that cannot be processed (a bug or poison data), so the contact's lane moves on. */
  async function failRow(row: InboundMessageRecord, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await markInboundProcessed(database.db, row.id, "failed", message.slice(0, 2000), deps.now());
  }

  async function handleEvent(
    trx: StoreDb,
    row: InboundMessageRecord,
    event: InboxEvent,
    now: number,
    after: AfterCommit,
  ): Promise<RowOutcome> {
    const contact = await getContact(trx, row.organizationId, row.contactId);
    if (!contact) return { status: "failed", error: "Contact not found" };
    switch (event.type) {
      case "message": {
        const message = event.message;
        if (!CONVERSATIONAL.has(message.kind)) return { status: "processed" };
        after.live.push({
          type: "inbound_message",
          organizationId: row.organizationId,
          contactId: contact.id,
          channelId: row.channelId,
          text: message.text,
          timestamp: new Date(now).toISOString(),
        });
        const input: EngineEvent = {
          type: "input",
          text: message.text,
          ...(message.optionId === undefined ? {} : { optionId: message.optionId }),
          ...(message.media === undefined ? {} : { media: message.media }),
        };
        const active = await activeExecution(trx, row.organizationId, contact.id);
        if (active) {
          const stepped = await stepExisting(trx, active, contact, input, now, after);
          if (stepped) after.steps += 1;
          return { status: "processed" };
        }
        const channel = await deps.channel(trx, row.organizationId, row.channelId);
        if (!channel) return { status: "failed", error: "Channel not found" };
        const route = await routeMessage(trx, channel, message.text);
        if (!route) return { status: "unhandled" };
        const started = await startNew(
          trx,
          row,
          contact,
          route.flowId,
          route.versionId,
          route.trigger,
          now,
          after,
        );
        if (started) after.steps += 1;
        return started ? { status: "processed" } : { status: "failed", error: "Flow version not found" };
      }
      case "timer": {
        const execution = await getExecution(trx, row.organizationId, event.executionId);
        if (!execution || isFinished(execution.status)) return { status: "processed" };
        const engineEvent: EngineEvent =
          event.kind === "http"
            ? {
                type: "httpResult",
                requestId: event.timerId,
                ok: false,
                error: "The HTTP call was interrupted (no result before its deadline).",
              }
            : { type: "timer", timerId: event.timerId };
        await stepExisting(trx, execution, contact, engineEvent, now, after);
        return { status: "processed" };
      }
      case "httpResult": {
        await cancelTimer(trx, event.requestId);
        const execution = await getExecution(trx, row.organizationId, event.executionId);
        if (!execution || isFinished(execution.status)) return { status: "processed" };
        const { type: _type, executionId: _execution, ...result } = event;
        await stepExisting(trx, execution, contact, { type: "httpResult", ...result }, now, after);
        return { status: "processed" };
      }
      case "start": {
        const flow = await getFlow(trx, row.organizationId, event.flowId);
        const versionId = event.versionId ?? flow?.publishedVersionId;
        if (!flow || !versionId)
          return { status: "failed", error: "FLOW_NOT_FOUND: the flow is not published" };
        const active = await activeExecution(trx, row.organizationId, contact.id);
        if (active) await cancelExecutionIn(trx, active, now, after);
        const started = await startNew(trx, row, contact, flow.id, versionId, event.trigger, now, after);
        return started ? { status: "processed" } : { status: "failed", error: "Flow version not found" };
      }
      case "handback": {
        const active = await activeExecution(trx, row.organizationId, contact.id);
        if (active) await stepExisting(trx, active, contact, { type: "handback" }, now, after);
        return { status: "processed" };
      }
    }
  }

  async function activeExecution(
    trx: StoreDb,
    organizationId: string,
    contactId: string,
  ): Promise<ExecutionRecord | null> {
    const remembered = deps.active?.get(contactId);
    if (remembered !== undefined && (remembered === null || remembered.organizationId === organizationId))
      return remembered;
    return findActiveExecution(trx, organizationId, contactId);
  }

  async function loadFlow(
    trx: StoreDb,
    organizationId: string,
    versionId: string,
  ): Promise<CompiledFlow | null> {
    return flows.get(trx, organizationId, versionId);
  }

  async function stepExisting(
    trx: StoreDb,
    execution: ExecutionRecord,
    contact: ContactRecord,
    event: EngineEvent,
    now: number,
    after: AfterCommit,
  ): Promise<boolean> {
    const flow = await loadFlow(trx, execution.organizationId, execution.flowVersionId);
    if (!flow) return false;
    const result = advance(
      flow,
      execution.state,
      event,
      contextFor(contact, execution.flowId, execution.flowVersionId, now),
    );
    if (result.effects.length === 0) return false; // an ignored event (stale timer, finished execution)
    await persistStep(trx, execution, contact, result, now, after, false);
    return true;
  }

  async function startNew(
    trx: StoreDb,
    row: InboundMessageRecord,
    contact: ContactRecord,
    flowId: string,
    versionId: string,
    trigger: TriggerInfo,
    now: number,
    after: AfterCommit,
  ): Promise<boolean> {
    const flow = await loadFlow(trx, row.organizationId, versionId);
    if (!flow) return false;
    const result = advance(
      flow,
      createInitialState(),
      { type: "start", trigger },
      contextFor(contact, flowId, versionId, now),
    );
    const execution = await createExecution(trx, {
      id: timeOrderedId(now),
      organizationId: row.organizationId,
      flowId,
      flowVersionId: versionId,
      contactId: contact.id,
      channelId: row.channelId,
      state: result.state,
      at: now,
    });
    if (isFinished(result.state.status))
      await saveExecutionState(trx, execution.id, result.state, { updatedAt: now, completedAt: now });
    await persistStep(trx, execution, contact, result, now, after, true);
    await incrementExecutionCount(trx, flowId, now);
    return true;
  }

  return { processRow, failRow };
}

/**
 * Applies a committed unit's active executions to the embedded-mode memory, from the batcher's commit
 * hook so the memory follows commit order. Bounded: past the limit it starts over, and forgotten
 * contacts are read from the store again.
 */
export function rememberActive(
  active: Map<string, ExecutionRecord | null> | undefined,
  after: AfterCommit,
): void {
  if (!active) return;
  if (active.size > 50_000) active.clear();
  for (const [contactId, execution] of after.active) active.set(contactId, execution);
}

/** Cancels an execution inside the caller's transaction (operator cancel, or a new API start). */
export async function cancelExecutionIn(
  trx: StoreDb,
  execution: ExecutionRecord,
  now: number,
  after: AfterCommit,
): Promise<void> {
  const state = { ...execution.state, status: "cancelled" as const, waiting: null };
  await saveExecutionState(trx, execution.id, state, { updatedAt: now, completedAt: now });
  await cancelTimersOfExecution(trx, execution.id);
  after.active.set(execution.contactId, null);
  after.live.push({
    type: "execution_update",
    event: "cancelled",
    organizationId: execution.organizationId,
    executionId: execution.id,
    flowId: execution.flowId,
    contactId: execution.contactId,
    status: "cancelled",
    currentNodeId: state.currentNodeId,
    visitedNodes: state.visitedNodes,
    timestamp: new Date(now).toISOString(),
  });
}

/**
 * On PostgreSQL, serialises steps of one contact across processes with a row lock. SQLite runs one
 * transaction at a time anyway.
 */
export async function lockContact(
  trx: StoreDb,
  dialect: Database["dialect"],
  contactId: string,
): Promise<void> {
  if (dialect !== "postgres") return;
  await sql`select id from contacts where id = ${contactId} for update`.execute(trx);
}

function contextFor(contact: ContactRecord, flowId: string, versionId: string, now: number): EngineContext {
  return {
    now,
    newId: () => timeOrderedId(now),
    contact: {
      id: contact.id,
      ...(contact.name ? { name: contact.name } : {}),
      ...(contact.phone ? { phone: contact.phone } : {}),
      attributes: contact.attributes,
    },
    flow: { id: flowId, versionId },
  };
}
