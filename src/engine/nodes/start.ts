/** `start`: the entry point; the runtime matched its keywords, so it simply continues. */
import type { NodeHandler } from "../step.ts";

export const startNode: NodeHandler<"start"> = {
  handles: () => ["default"],
  enter: () => ({ kind: "next" }),
};
