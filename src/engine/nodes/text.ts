/** `text`: sends a message with `{{variable}}` interpolation, then continues. */
import type { NodeHandler } from "../step.ts";

export const textNode: NodeHandler<"text"> = {
  handles: () => ["default"],
  enter(node, step) {
    step.send(node, { type: "text", text: step.render(node.data.text) });
    return { kind: "next" };
  },
};
