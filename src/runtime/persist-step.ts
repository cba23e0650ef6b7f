/**
 * Writes one engine step inside the step transaction: execution state, logs, timers, outbox rows,
 * contact changes and follow-up events — all or nothing. What needs I/O afterwards (HTTP calls,
 * live events, waking the dispatcher) is collected in `AfterCommit` and done only once committed.
 */
import { randomUUID } from "node:crypto";
import type { AdvanceResult, HttpRequestSpec } from "../core/execution.ts";
import { isFinished } from "../core/execution.ts";
import type { ContactRecord, ExecutionRecord } from "../store/records.ts";
import { updateContact } from "../store/repositories/contacts.ts";
import { insertExecutionLogs } from "../store/repositories/execution-logs.ts";
import { saveExecutionState } from "../store/repositories/executions.ts";
import { insertInboundMessages } from "../store/repositories/inbox.ts";
import { enqueueOutbound, queuedRecord } from "../store/repositories/outbox.ts";
import { cancelTimer, insertTimers, type NewTimer } from "../store/repositories/timers.ts";
import type { StoreDb } from "../store/transaction.ts";
import type { HandedOutbound } from "./dispatcher.ts";
import { eventKey, type InboxEvent } from "./inbox-events.ts";
import type { LiveEvent } from "./live-bus.ts";

/** A guard timer outlives every HTTP call by this much; if it fires, the call was lost in a crash. */
export const HTTP_GUARD_GRACE_MS = 30_000;

export interface PendingHttpCall {
  organizationId: string;
  channelId: string;
  contactId: string;
  executionId: string;
  requestId: string;
  request: HttpRequestSpec;
}

export interface AfterCommit {
  http: PendingHttpCall[];
  live: LiveEvent[];
  /** Contacts whose outbox got new rows. */
  dispatch: Set<string>;
  /** The rows queued, in send order (handed to the dispatcher in embedded mode). */
  outbound: HandedOutbound[];
  /** Each contact's active execution as committed (null: none): the unit's last write wins. */
  active: Map<string, ExecutionRecord | null>;
  /** Contacts whose inbox got new events. */
  wake: Set<string>;
  /** Turns completed (messages from contacts that produced a step), for metrics. */
  steps: number;
}

export function createAfterCommit(): AfterCommit {
  return {
    http: [],
    live: [],
    dispatch: new Set(),
    outbound: [],
    active: new Map(),
    wake: new Set(),
    steps: 0,
  };
}

/**
 * Persists `result` for `execution`. `isNew` means the row was just created with the result's state,
 * so only the effects remain to be written.
 */
export async function persistStep(
  trx: StoreDb,
  execution: ExecutionRecord,
  contact: ContactRecord,
  result: AdvanceResult,
  now: number,
  after: AfterCommit,
  isNew: boolean,
): Promise<void> {
  const { organizationId, channelId, id: executionId } = execution;
  const base = { organizationId, executionId, contactId: contact.id };
  const logs: Parameters<typeof insertExecutionLogs>[1] = [];
  const timers: NewTimer[] = [];
  const cancels: string[] = [];
  const sends: Parameters<typeof enqueueOutbound>[1] = [];
  const events: InboxEvent[] = [];
  let tags: string[] | null = null;
  let attributes: Record<string, unknown> | null = null;

  for (const effect of result.effects) {
    switch (effect.type) {
      case "log":
        logs.push({ executionId, organizationId, ...effect.entry, createdAt: now });
        break;
      case "send":
        sends.push({
          organizationId,
          channelId,
          contactId: contact.id,
          executionId,
          nodeId: effect.nodeId,
          payload: effect.message,
          nextAttemptAt: now,
          createdAt: now,
        });
        break;
      case "schedule":
        timers.push({
          ...base,
          id: effect.timerId,
          kind: effect.kind,
          nodeId: effect.nodeId,
          dueAt: effect.dueAt,
          createdAt: now,
        });
        break;
      case "cancel":
        cancels.push(effect.timerId);
        break;
      case "httpRequest":
        timers.push({
          ...base,
          id: effect.requestId,
          kind: "http",
          nodeId: effect.nodeId,
          dueAt: now + effect.request.timeoutMs + HTTP_GUARD_GRACE_MS,
          createdAt: now,
        });
        after.http.push({
          organizationId,
          channelId,
          contactId: contact.id,
          executionId,
          requestId: effect.requestId,
          request: effect.request,
        });
        break;
      case "contact": {
        const operation = effect.operation;
        if (operation.op === "assign") {
          attributes = { ...(attributes ?? contact.attributes), assignee: operation.assignee };
        } else {
          const previous: string[] = tags ?? contact.tags;
          const current = new Set<string>(previous);
          if (operation.op === "add_tag") current.add(operation.tag);
          else current.delete(operation.tag);
          tags = [...current];
        }
        break;
      }
      case "startFlow":
        events.push({
          type: "start",
          flowId: effect.flowId,
          trigger: { kind: "jump", variables: effect.variables },
        });
        break;
      case "handoff":
      case "complete":
      case "fail":
        break;
      default:
        effect satisfies never;
    }
  }

  const { state } = result;
  const finished = isFinished(state.status);
  if (!isNew) {
    const saved = await saveExecutionState(trx, executionId, state, {
      updatedAt: now,
      previousStatus: execution.status,
      ...(finished ? { completedAt: now } : {}),
    });
    // Gone (its flow was deleted): fail the unit so the row is retried against the store.
    if (!saved) throw new Error(`Execution ${executionId} no longer exists`);
  }
  after.active.set(
    contact.id,
    finished
      ? null
      : {
          ...execution,
          status: state.status,
          currentNodeId: state.currentNodeId,
          state,
          updatedAt: now,
        },
  );
  if (logs.length > 0) await insertExecutionLogs(trx, logs);
  if (timers.length > 0) await insertTimers(trx, timers);
  for (const timerId of cancels) await cancelTimer(trx, timerId);
  if (sends.length > 0) {
    const ids = await enqueueOutbound(trx, sends);
    after.dispatch.add(contact.id);
    sends.forEach((send, index) => {
      const id = ids[index];
      if (id !== undefined) after.outbound.push({ ...queuedRecord(send, id), contact });
    });
    for (const messageId of ids) {
      after.live.push({
        type: "message_update",
        event: "queued",
        organizationId,
        contactId: contact.id,
        messageId,
        executionId,
        status: "queued",
        timestamp: new Date(now).toISOString(),
      });
    }
  }
  if (tags !== null || attributes !== null) {
    await updateContact(trx, organizationId, contact.id, {
      ...(tags === null ? {} : { tags }),
      ...(attributes === null ? {} : { attributes }),
      at: now,
    });
  }
  if (events.length > 0) {
    await insertInboundMessages(
      trx,
      events.map((event) => ({
        organizationId,
        channelId,
        contactId: contact.id,
        externalMessageId: eventKey(event, randomUUID()),
        payload: event,
        receivedAt: now,
      })),
    );
    after.wake.add(contact.id);
  }
  after.live.push(executionUpdate(execution, result, isNew, now));
}

function executionUpdate(
  execution: ExecutionRecord,
  result: AdvanceResult,
  isNew: boolean,
  now: number,
): LiveEvent {
  const { state } = result;
  const event =
    state.status === "completed" ||
    state.status === "failed" ||
    state.status === "cancelled" ||
    state.status === "expired"
      ? state.status
      : isNew
        ? "started"
        : state.status === "waiting_for_input"
          ? "waiting"
          : "stepped";
  return {
    type: "execution_update",
    event,
    organizationId: execution.organizationId,
    executionId: execution.id,
    flowId: execution.flowId,
    contactId: execution.contactId,
    status: state.status,
    currentNodeId: state.currentNodeId,
    visitedNodes: state.visitedNodes,
    timestamp: new Date(now).toISOString(),
  };
}
