/**
 * Drives the pure engine in tests: keeps the state between events, a deterministic clock and id
 * generator, and helpers to read what the last event produced.
 */
import type {
  Effect,
  EngineContext,
  EngineEvent,
  ExecutionState,
  TriggerInfo,
} from "../../src/core/execution.ts";
import { createInitialState } from "../../src/core/execution.ts";
import type { OutboundMessage } from "../../src/core/messages.ts";
import { advance } from "../../src/engine/advance.ts";
import { compileFlow } from "../../src/engine/compile.ts";

export const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);

export interface Harness {
  state: ExecutionState;
  effects: Effect[];
  now: number;
  send(event: EngineEvent): Effect[];
  start(trigger?: Partial<TriggerInfo>): Effect[];
  reply(text: string, optionId?: string): Effect[];
  /** Fires the timer the execution waits on. */
  fire(): Effect[];
  messages(): OutboundMessage[];
  texts(): string[];
  ofType<T extends Effect["type"]>(type: T): Extract<Effect, { type: T }>[];
}

export function createHarness(graph: unknown, overrides: Partial<EngineContext> = {}): Harness {
  const flow = compileFlow(graph);
  let counter = 0;
  const harness: Harness = {
    state: createInitialState(),
    effects: [],
    now: T0,
    send(event) {
      const context: EngineContext = {
        now: harness.now,
        newId: () => `id-${++counter}`,
        contact: { id: "contact-1", name: "Ana", phone: "+34600111222", attributes: { city: "Madrid" } },
        flow: { id: "flow-1", name: "Test flow" },
        ...overrides,
      };
      const result = advance(flow, harness.state, event, context);
      harness.state = result.state;
      harness.effects = result.effects;
      return result.effects;
    },
    start(trigger = {}) {
      return harness.send({ type: "start", trigger: { kind: "keyword", text: "hi", ...trigger } });
    },
    reply(text, optionId) {
      return harness.send(
        optionId === undefined ? { type: "input", text } : { type: "input", text, optionId },
      );
    },
    fire() {
      const timerId = harness.state.waiting?.timerId;
      if (!timerId) throw new Error("no timer is pending");
      return harness.send({ type: "timer", timerId });
    },
    messages() {
      return harness.ofType("send").map((effect) => effect.message);
    },
    texts() {
      return harness.messages().flatMap((message) => {
        if (message.type === "text") return [message.text];
        if (message.type === "buttons" || message.type === "list") return [message.body];
        if (message.type === "media") return [message.caption ?? message.url];
        return [message.name];
      });
    },
    ofType(type) {
      return harness.effects.filter(
        (effect): effect is Extract<Effect, { type: typeof type }> => effect.type === type,
      );
    },
  };
  return harness;
}

/** Builds a graph from a compact description: nodes `[id, type, data]`, edges `[source, target, handle?]`. */
export function graphOf(
  nodes: Array<[string, string, Record<string, unknown>?]>,
  edges: Array<[string, string, string?]> = [],
  settings: Record<string, unknown> = {},
): unknown {
  return {
    nodes: nodes.map(([id, type, data]) => ({ id, type, position: { x: 0, y: 0 }, data: data ?? {} })),
    edges: edges.map(([source, target, handle], index) => ({
      id: `e${index}`,
      source,
      target,
      ...(handle ? { sourceHandle: handle } : {}),
    })),
    settings,
  };
}
