/**
 * `question_input`: asks a free-text question, validates the answer by type and limits, re-asks with
 * the error message up to `maxAttempts`, and stores the cleaned value (number, E.164, ISO date).
 */
import { validateInput } from "../input-validation.ts";
import type { NodeHandler } from "../step.ts";
import { retryOrGiveUp } from "./question.ts";

export const questionInputNode: NodeHandler<"question_input"> = {
  handles: () => ["default", "invalid", "timeout"],
  enter(node, step) {
    step.send(node, { type: "text", text: step.render(node.data.question) });
    return { kind: "wait", reason: "input" };
  },
  resume(node, event, step) {
    if (event.type !== "input") return { kind: "next" };
    const result = validateInput(event.text, node.data.validation);
    if (!result.valid) {
      const attempts = step.state.waiting?.attempts ?? 0;
      return retryOrGiveUp(node, step, attempts, node.data.errorMessage ?? result.reason, () => ({
        type: "text",
        text: step.render(node.data.question),
      }));
    }
    const name = node.data.variableName ?? node.data.saveAnswerTo;
    if (name) step.setVariable(node, name, result.value);
    return { kind: "next" };
  },
};
