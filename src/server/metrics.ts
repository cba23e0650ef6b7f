/**
 * Prometheus metric definitions, one registry per process. The runtime updates them; GET /metrics
 * serves the registry. Names follow Prometheus conventions (`_total` counters, `_seconds` durations).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface ParleyMetrics {
  registry: Registry;
  inboundAccepted: Counter;
  inboundDuplicate: Counter;
  turns: Counter;
  stepDuration: Histogram;
  outboundSent: Counter;
  outboundFailed: Counter<"code">;
  queueDepth: Gauge<"queue">;
  executions: Gauge<"status">;
}

/** Creates the registry and every Parley metric; `defaultMetrics` adds process CPU/memory/event-loop metrics. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): ParleyMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    inboundAccepted: new Counter({
      name: "parley_inbound_accepted_total",
      help: "Inbound channel events accepted into the inbox.",
      registers,
    }),
    inboundDuplicate: new Counter({
      name: "parley_inbound_duplicate_total",
      help: "Inbound channel events dropped as duplicates of an accepted event.",
      registers,
    }),
    turns: new Counter({
      name: "parley_turns_total",
      help: "Conversation turns processed (one inbound event advanced through the engine).",
      registers,
    }),
    stepDuration: new Histogram({
      name: "parley_step_duration_seconds",
      help: "Time to process one execution step: load, advance, and commit state, logs, timers and outbox.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    outboundSent: new Counter({
      name: "parley_outbound_sent_total",
      help: "Outbound messages accepted by the channel provider.",
      registers,
    }),
    outboundFailed: new Counter({
      name: "parley_outbound_failed_total",
      help: "Outbound messages that failed permanently, by stable error code.",
      labelNames: ["code"],
      registers,
    }),
    queueDepth: new Gauge({
      name: "parley_queue_depth",
      help: "Jobs waiting in each work queue.",
      labelNames: ["queue"],
      registers,
    }),
    executions: new Gauge({
      name: "parley_executions",
      help: "Executions by status.",
      labelNames: ["status"],
      registers,
    }),
  };
}
