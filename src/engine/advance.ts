/**
 * The engine: `advance(flow, state, event, context) → { state, effects }` (DESIGN §5). Pure: no I/O,
 * no clock, no randomness — the runtime performs the effects and feeds results back as events, so
 * every execution can be replayed from its log.
 */
import type {
  AdvanceResult,
  EngineContext,
  EngineEvent,
  ExecutionState,
  TriggerInfo,
} from "../core/execution.ts";
import { isFinished } from "../core/execution.ts";
import { handleCommand } from "./commands.ts";
import { type CompiledFlow, findDefaultEdge, findEdge } from "./compile.ts";
import { handlerFor } from "./nodes/registry.ts";
import { migrateExecutionState } from "./state.ts";
import { type NodeOutcome, type ResumeEvent, Step } from "./step.ts";

export const DEFAULT_LOOP_LIMIT = 100;
export const DEFAULT_TIMEOUT_SECONDS = 24 * 60 * 60;

/**
 * Applies one event to one execution.
 * @example advance(compileFlow(graph), createInitialState(), { type: "start", trigger }, context)
 */
export function advance(
  flow: CompiledFlow,
  state: ExecutionState,
  event: EngineEvent,
  context: EngineContext,
): AdvanceResult {
  const step = new Step(flow, migrateExecutionState(state), context);
  const run = new Run(step);
  switch (event.type) {
    case "start":
      run.start(event.trigger);
      break;
    case "input":
      run.input(event.text, event.optionId, event.media);
      break;
    case "timer":
      run.timer(event.timerId);
      break;
    case "httpResult":
      run.httpResult(event);
      break;
    case "handback":
      run.resumeWaitingFor("handoff", { type: "handback" });
      break;
    default:
      assertNever(event);
  }
  return { state: step.state, effects: step.effects };
}

/** The control loop of one advance call: enters nodes, applies outcomes, guards against loops. */
export class Run {
  private entries = 0;
  private readonly path: string[] = [];

  constructor(readonly step: Step) {}

  start(trigger: TriggerInfo): void {
    const { state } = this.step;
    if (state.status !== "pending") return;
    state.trigger = trigger;
    this.step.replaceVariables({ ...state.variables, ...trigger.variables });
    if (trigger.text !== undefined) this.step.assign("lastMessage", trigger.text);
    this.runFromStart(trigger);
  }

  /** Starts (or restarts, for `/start`) at the start node the trigger names or matches. */
  runFromStart(trigger: TriggerInfo): void {
    const { flow, state } = this.step;
    const start = findStartNode(flow, trigger);
    if (!start) {
      this.fail("ENGINE_NO_START_NODE", "No start node matches the trigger.", undefined);
      return;
    }
    state.status = "running";
    this.runFrom(start);
  }

  input(text: string, optionId: string | undefined, media: EngineEventMedia): void {
    const { state } = this.step;
    if (isFinished(state.status) || state.status === "pending") return;
    this.step.assign("lastMessage", text);
    if (media) this.step.assign("lastMedia", { ...media });
    if (handleCommand(this, text)) return;
    const waiting = state.waiting;
    if (!waiting) return;
    if (waiting.reason === "input") {
      this.resumeWaitingFor(
        "input",
        optionId === undefined ? { type: "input", text } : { type: "input", text, optionId },
      );
      return;
    }
    const node = { id: waiting.nodeId, type: this.step.flow.nodes.get(waiting.nodeId)?.type ?? "unknown" };
    this.step.log(node, "waiting", {
      input: { text },
      message: `Input kept in lastMessage while waiting (${waiting.reason}).`,
    });
  }

  timer(timerId: string): void {
    const waiting = this.step.state.waiting;
    if (!waiting || waiting.timerId !== timerId) return; // stale: already cancelled or replaced
    this.resumeWaitingFor(waiting.reason, { type: "timeout" }, true);
  }

  httpResult(event: Extract<EngineEvent, { type: "httpResult" }>): void {
    const waiting = this.step.state.waiting;
    if (waiting?.reason !== "http" || waiting.requestId !== event.requestId) return;
    const { requestId: _ignored, type: _type, ...result } = event;
    this.resumeWaitingFor("http", { type: "httpResult", ...result });
  }

  /** Delivers an event to the waiting node, if the execution waits for that reason. */
  resumeWaitingFor(reason: string, event: ResumeEvent, timerFired = false): void {
    const { flow, state } = this.step;
    const waiting = state.waiting;
    if (!waiting || waiting.reason !== reason || isFinished(state.status)) return;
    const node = flow.nodes.get(waiting.nodeId);
    if (!node) {
      this.fail(
        "ENGINE_NODE_NOT_FOUND",
        `Node "${waiting.nodeId}" is not in this flow version.`,
        waiting.nodeId,
      );
      return;
    }
    const handler = handlerFor(node);
    let outcome: NodeOutcome;
    if (event.type === "timeout" && reason !== "wait") {
      outcome = findEdge(flow, node.id, "timeout")
        ? { kind: "next", handle: "timeout", strict: true }
        : { kind: "end", outcome: "expired" };
    } else {
      outcome = handler.resume ? handler.resume(node, event, this.step) : { kind: "next" };
    }
    if (outcome.kind !== "wait") {
      if (waiting.timerId && !timerFired) this.step.emit({ type: "cancel", timerId: waiting.timerId });
      state.waiting = null;
      state.status = "running";
    }
    const next = this.apply(node, outcome, describeEvent(event));
    if (next !== undefined) this.runFrom(next);
  }

  /** Enters nodes one after another until one waits, the flow ends, or the loop guard trips. */
  runFrom(nodeId: string): void {
    const { flow, state, context } = this.step;
    const limit = context.loopLimit ?? DEFAULT_LOOP_LIMIT;
    let currentId: string | undefined = nodeId;
    while (currentId !== undefined) {
      this.entries += 1;
      this.path.push(currentId);
      if (this.entries > limit) {
        this.fail(
          "ENGINE_LOOP_LIMIT",
          `More than ${limit} nodes entered for one event: the flow loops.`,
          currentId,
          loopOf(this.path),
        );
        return;
      }
      const node = flow.nodes.get(currentId);
      if (!node) {
        const reason = flow.broken.get(currentId);
        if (reason) this.fail("ENGINE_INVALID_NODE", `Node "${currentId}" cannot run: ${reason}.`, currentId);
        else
          this.fail("ENGINE_NODE_NOT_FOUND", `Node "${currentId}" is not in this flow version.`, currentId);
        return;
      }
      state.currentNodeId = node.id;
      if (!state.visitedNodes.includes(node.id)) state.visitedNodes.push(node.id);
      this.step.log(node, "entered");
      currentId = this.apply(node, handlerFor(node).enter(node, this.step));
    }
  }

  /** Applies a node's outcome; returns the next node to enter, if any. */
  private apply(
    node: { id: string; type: string },
    outcome: NodeOutcome,
    input?: unknown,
  ): string | undefined {
    const { step } = this;
    const { flow } = step;
    switch (outcome.kind) {
      case "next": {
        const edge =
          outcome.handle === undefined
            ? findDefaultEdge(flow, node.id, () => hasSingleOutput(flow, node.id))
            : (findEdge(flow, node.id, outcome.handle) ??
              (outcome.strict
                ? undefined
                : findDefaultEdge(flow, node.id, () => hasSingleOutput(flow, node.id))));
        step.log(node, "exited", {
          input,
          output: { handle: outcome.handle ?? "default", next: edge?.target ?? null },
        });
        if (edge) return edge.target;
        this.finish("completed");
        return undefined;
      }
      case "goto":
        step.log(node, "exited", { input, output: { next: outcome.nodeId } });
        return outcome.nodeId;
      case "wait":
        this.wait(node, outcome, input);
        return undefined;
      case "end":
        step.log(node, "exited", { input, output: { end: outcome.outcome } });
        this.finish(outcome.outcome);
        return undefined;
      case "fail":
        this.fail(outcome.code, outcome.message, node.id);
        return undefined;
      default:
        return assertNever(outcome);
    }
  }

  private wait(
    node: { id: string; type: string },
    outcome: Extract<NodeOutcome, { kind: "wait" }>,
    input?: unknown,
  ): void {
    const { step } = this;
    const { state, flow, context } = step;
    const previous = state.waiting;
    let timerId: string | undefined;
    if (outcome.reason === "wait") {
      timerId = step.newId();
      step.emit({
        type: "schedule",
        timerId,
        kind: "wait",
        nodeId: node.id,
        dueAt: outcome.dueAt ?? step.now,
      });
    } else if (outcome.reason !== "http") {
      if (previous?.nodeId === node.id && previous.timerId) {
        timerId = previous.timerId; // a re-ask keeps the original deadline
      } else {
        const compiled = flow.nodes.get(node.id);
        const ownTimeout = compiled?.data.timeoutSeconds;
        const nodeTimeout = typeof ownTimeout === "number" ? ownTimeout : undefined;
        const seconds =
          nodeTimeout ??
          flow.settings.timeoutSeconds ??
          context.defaultTimeoutSeconds ??
          DEFAULT_TIMEOUT_SECONDS;
        timerId = step.newId();
        step.emit({
          type: "schedule",
          timerId,
          kind: "timeout",
          nodeId: node.id,
          dueAt: step.now + seconds * 1000,
        });
      }
    }
    if (previous?.timerId && previous.timerId !== timerId)
      step.emit({ type: "cancel", timerId: previous.timerId });
    const requestId = outcome.reason === "http" ? lastHttpRequestId(step) : undefined;
    state.waiting = {
      nodeId: node.id,
      reason: outcome.reason,
      attempts: outcome.attempts ?? 0,
      ...(timerId === undefined ? {} : { timerId }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(outcome.scratch === undefined ? {} : { scratch: outcome.scratch }),
    };
    state.status = "waiting_for_input";
    state.currentNodeId = node.id;
    step.log(node, "waiting", { input, output: { reason: outcome.reason, attempts: outcome.attempts ?? 0 } });
  }

  /** Ends the execution normally (or as expired / reset), cancelling its pending timer. */
  finish(outcome: "completed" | "expired" | "reset"): void {
    const { state } = this.step;
    this.cancelPendingTimer();
    state.waiting = null;
    state.status = outcome === "expired" ? "expired" : outcome === "reset" ? "cancelled" : "completed";
    this.step.emit({ type: "complete", outcome });
  }

  fail(code: string, message: string, nodeId: string | undefined, path?: string[]): void {
    const { state } = this.step;
    this.cancelPendingTimer();
    state.waiting = null;
    state.status = "failed";
    state.error = { code, message, ...(nodeId === undefined ? {} : { nodeId }), ...(path ? { path } : {}) };
    const type = nodeId ? (this.step.flow.nodes.get(nodeId)?.type ?? "unknown") : "flow";
    this.step.log({ id: nodeId ?? "", type }, "error", {
      message,
      output: { code, ...(path ? { path } : {}) },
    });
    this.step.emit({ type: "fail", error: state.error });
  }

  cancelPendingTimer(): void {
    const timerId = this.step.state.waiting?.timerId;
    if (timerId) this.step.emit({ type: "cancel", timerId });
  }
}

/** A node whose only output is `default` treats any edge leaving it as that output. */
function hasSingleOutput(flow: CompiledFlow, nodeId: string): boolean {
  const node = flow.nodes.get(nodeId);
  if (!node) return false;
  const handles = handlerFor(node).handles(node.data);
  return handles.length === 1 && handles[0] === "default";
}

type EngineEventMedia = Extract<EngineEvent, { type: "input" }>["media"];

function findStartNode(flow: CompiledFlow, trigger: TriggerInfo) {
  if (trigger.startNodeId) return flow.nodes.has(trigger.startNodeId) ? trigger.startNodeId : undefined;
  const wanted = (trigger.keyword ?? trigger.text)?.trim().toLowerCase();
  if (wanted) {
    const match = flow.starts.find((node) =>
      node.data.keywords.some((k) => k.trim().toLowerCase() === wanted),
    );
    if (match) return match.id;
  }
  // API, lead, default-flow and jump triggers need no keyword: the first start node runs.
  if (trigger.kind !== "keyword") return flow.starts[0]?.id;
  return undefined;
}

/** What a resumed node received, for its exit log (seed 000 logs the response). */
function describeEvent(event: ResumeEvent): unknown {
  switch (event.type) {
    case "input":
      return { response: event.text, optionId: event.optionId ?? null };
    case "httpResult":
      return { ok: event.ok, status: event.status ?? null };
    default:
      return { event: event.type };
  }
}

function lastHttpRequestId(step: Step): string | undefined {
  for (let i = step.effects.length - 1; i >= 0; i -= 1) {
    const effect = step.effects[i];
    if (effect?.type === "httpRequest") return effect.requestId;
  }
  return undefined;
}

/** The repeating tail of the entered-node path: from the previous visit of the last node. */
function loopOf(path: readonly string[]): string[] {
  const last = path[path.length - 1];
  const previous = path.lastIndexOf(last as string, path.length - 2);
  return previous >= 0 ? path.slice(previous) : path.slice(-10);
}

function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}

export type { EngineContext };
