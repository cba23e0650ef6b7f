/**
 * The accumulator of one `advance` call: a private copy of the state, the effects emitted so far, and
 * the helpers node handlers use. Handlers return what happens next; they append data, never do I/O.
 */
import type { Effect, EngineContext, ExecutionState, LogAction, WaitReason } from "../core/execution.ts";
import type { NodeData, NodeType } from "../core/flow.ts";
import type { OutboundMessage } from "../core/messages.ts";
import type { CompiledFlow, CompiledNode, CompiledNodeOf } from "./compile.ts";
import { interpolate } from "./interpolate.ts";
import {
  isForbiddenKey,
  lookupVariable,
  setVariable,
  type VariableLookup,
  type VariableScope,
} from "./variables.ts";

/** What a node decides. `next` without a handle follows the default edge. */
export type NodeOutcome =
  | { kind: "next"; handle?: string; strict?: boolean }
  | { kind: "goto"; nodeId: string }
  | {
      kind: "wait";
      reason: WaitReason;
      /** Absolute due time of the wait node's timer; otherwise the node/flow timeout applies. */
      dueAt?: number;
      attempts?: number;
      scratch?: Record<string, unknown>;
    }
  | { kind: "end"; outcome: "completed" | "expired" }
  | { kind: "fail"; code: string; message: string };

/** The events a waiting node can receive. */
export type ResumeEvent =
  | { type: "input"; text: string; optionId?: string }
  | { type: "httpResult"; ok: boolean; status?: number; body?: unknown; error?: string }
  | { type: "timeout" }
  | { type: "handback" };

export interface NodeHandler<T extends NodeType> {
  /** Output handles this node can follow, for the builder and validation. */
  handles(data: NodeData<T>): string[];
  enter(node: CompiledNodeOf<T>, step: Step): NodeOutcome;
  /** Handles an event while the execution waits at this node. */
  resume?(node: CompiledNodeOf<T>, event: ResumeEvent, step: Step): NodeOutcome;
}

export class Step implements VariableScope {
  readonly state: ExecutionState;
  readonly effects: Effect[] = [];
  readonly lookup: VariableLookup = (path) => lookupVariable(this, path);
  /** Whether `state.variables` is already this step's own copy (copied on the first write). */
  private ownsVariables = false;

  constructor(
    readonly flow: CompiledFlow,
    state: ExecutionState,
    readonly context: EngineContext,
  ) {
    // A private copy: the caller's state must stay untouched so events can be replayed.
    this.state = { ...state, visitedNodes: [...state.visitedNodes] };
  }

  get variables(): Record<string, unknown> {
    return this.state.variables;
  }

  get contact(): EngineContext["contact"] {
    return this.context.contact;
  }

  get flowInfo(): EngineContext["flow"] {
    return this.context.flow;
  }

  get trigger(): ExecutionState["trigger"] {
    return this.state.trigger;
  }

  get now(): number {
    return this.context.now;
  }

  newId(): string {
    return this.context.newId();
  }

  /** Interpolates `{{...}}`; an absent text stays absent. */
  render(text: string): string;
  render(text: string | undefined): string | undefined;
  render(text: string | undefined): string | undefined {
    return text === undefined ? undefined : interpolate(text, this.lookup);
  }

  send(node: CompiledNode, message: OutboundMessage): void {
    this.effects.push({ type: "send", nodeId: node.id, message });
    this.log(node, "sent_message", { output: message });
  }

  log(
    node: { id: string; type: string },
    action: LogAction,
    extra?: { input?: unknown; output?: unknown; message?: string },
  ): void {
    this.effects.push({ type: "log", entry: { nodeId: node.id, nodeType: node.type, action, ...extra } });
  }

  setVariable(node: CompiledNode, name: string, value: unknown): void {
    this.assign(name, value);
    this.log(node, "variable_set", { output: { name, value } });
  }

  /** Sets a variable without a log entry (bookkeeping such as `lastMessage`). */
  assign(name: string, value: unknown): void {
    if (name.includes(".") || isForbiddenKey(name)) {
      this.state.variables = setVariable(this.state.variables, name, value);
      this.ownsVariables = true;
      return;
    }
    // The caller's variables must stay untouched: copy once, then write in place.
    if (!this.ownsVariables) {
      this.state.variables = { ...this.state.variables };
      this.ownsVariables = true;
    }
    this.state.variables[name] = value;
  }

  /** Replaces all variables (restart, reset, trigger variables). */
  replaceVariables(variables: Record<string, unknown>): void {
    this.state.variables = variables;
    this.ownsVariables = true;
  }

  emit(effect: Effect): void {
    this.effects.push(effect);
  }
}
