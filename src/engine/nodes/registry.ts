/**
 * One handler per node type. Typed with `satisfies`, so a node type without a handler does not
 * compile (STYLE habit 2).
 */
import type { NodeType } from "../../core/flow.ts";
import type { CompiledNode } from "../compile.ts";
import type { NodeHandler, NodeOutcome, ResumeEvent, Step } from "../step.ts";
import { actionNode } from "./action.ts";
import { conditionNode } from "./condition.ts";
import { mediaNode } from "./media.ts";
import { questionNode } from "./question.ts";
import { questionInputNode } from "./question-input.ts";
import { startNode } from "./start.ts";
import { templateNode } from "./template.ts";
import { textNode } from "./text.ts";
import { userInputFlowNode } from "./user-input-flow.ts";
import { waitNode } from "./wait.ts";

export const NODE_HANDLERS = {
  start: startNode,
  text: textNode,
  question: questionNode,
  media: mediaNode,
  condition: conditionNode,
  question_input: questionInputNode,
  user_input_flow: userInputFlowNode,
  template: templateNode,
  action: actionNode,
  wait: waitNode,
} satisfies { [T in NodeType]: NodeHandler<T> };

/** A handler seen through the node union; `handlerFor` pairs each node with its own type's handler. */
export interface AnyNodeHandler {
  handles(data: CompiledNode["data"]): string[];
  enter(node: CompiledNode, step: Step): NodeOutcome;
  resume?(node: CompiledNode, event: ResumeEvent, step: Step): NodeOutcome;
}

export function handlerFor(node: CompiledNode): AnyNodeHandler {
  // NODE_HANDLERS[node.type] handles exactly node's type; TypeScript cannot correlate the union.
  return NODE_HANDLERS[node.type] as AnyNodeHandler;
}
