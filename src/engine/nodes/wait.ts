/** `wait`: a durable delay — a timer row, never a sleep — then continues. */
import type { NodeHandler } from "../step.ts";

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export const waitNode: NodeHandler<"wait"> = {
  handles: () => ["default"],
  enter(node, step) {
    return { kind: "wait", reason: "wait", dueAt: step.now + node.data.duration * UNIT_MS[node.data.unit] };
  },
  resume: () => ({ kind: "next" }),
};
