/**
 * `template`: sends an approved WhatsApp template with interpolated parameters. With quick-reply
 * buttons it waits: a reply follows `button-{index}`, or the edge whose `trigger_value` is the button
 * text (seed 001), else the default edge.
 */
import { edgeTrigger, type FlowEdge } from "../../core/flow.ts";
import { findEdge } from "../compile.ts";
import type { NodeHandler } from "../step.ts";

export const templateNode: NodeHandler<"template"> = {
  handles: (data) => [...data.buttons.map((_, index) => `button-${index}`), "default", "timeout"],
  enter(node, step) {
    const { templateName, template_name, language, params, headerParams, buttons } = node.data;
    step.send(node, {
      type: "template",
      name: templateName ?? template_name ?? "",
      language,
      params: params.map((param) => step.render(param)),
      ...(headerParams ? { headerParams: headerParams.map((param) => step.render(param)) } : {}),
      ...(buttons.length > 0 ? { buttons } : {}),
    });
    return buttons.length > 0 ? { kind: "wait", reason: "input" } : { kind: "next" };
  },
  resume(node, event, step) {
    if (event.type !== "input") return { kind: "next" };
    const { buttons, saveAnswerTo } = node.data;
    const index = matchButton(buttons, event.text, event.optionId);
    const title = index === undefined ? event.text : (buttons[index] ?? event.text);
    if (saveAnswerTo) step.setVariable(node, saveAnswerTo, title);
    if (index !== undefined && findEdge(step.flow, node.id, `button-${index}`)) {
      return { kind: "next", handle: `button-${index}`, strict: true };
    }
    const triggered = findTriggerEdge(step.flow.outgoing.get(node.id) ?? [], title);
    if (triggered) return { kind: "goto", nodeId: triggered.target };
    return { kind: "next" };
  },
};

/** The pressed button: by payload `button-{index}`, by payload equal to a title, or by title. */
function matchButton(
  buttons: readonly string[],
  text: string,
  optionId: string | undefined,
): number | undefined {
  const byPayload = optionId?.match(/^button-(\d+)$/);
  if (byPayload) {
    const index = Number(byPayload[1]);
    if (index < buttons.length) return index;
  }
  for (const candidate of [optionId, text]) {
    const wanted = candidate?.trim().toLowerCase();
    if (!wanted) continue;
    const index = buttons.findIndex((button) => button.trim().toLowerCase() === wanted);
    if (index >= 0) return index;
  }
  return undefined;
}

function findTriggerEdge(edges: readonly FlowEdge[], text: string): FlowEdge | undefined {
  const wanted = text.trim().toLowerCase();
  return edges.find((edge) => {
    const { trigger, value } = edgeTrigger(edge);
    return (trigger === undefined || trigger === "button_click") && value?.trim().toLowerCase() === wanted;
  });
}
