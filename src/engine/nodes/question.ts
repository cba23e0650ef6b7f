/**
 * `question`: reply buttons (≤ 3 options) or a list, then waits. A reply matches an option by id,
 * by title (case-insensitive) or by its number; otherwise the default edge, else a re-ask up to
 * `maxAttempts`, then the `invalid` edge or the end.
 */
import { optionHandle, type QuestionOption } from "../../core/flow.ts";
import { MORE_OPTIONS_PREFIX, type OutboundMessage } from "../../core/messages.ts";
import type { CompiledNodeOf } from "../compile.ts";
import { findDefaultEdge, findEdge } from "../compile.ts";
import type { NodeHandler, NodeOutcome, Step } from "../step.ts";

export const DEFAULT_RETRY_MESSAGE = "Please choose one of the options.";
export const DEFAULT_MAX_ATTEMPTS = 3;

export const questionNode: NodeHandler<"question"> = {
  handles: (data) => [
    ...data.options.map((option) => optionHandle(option.id)),
    "default",
    "invalid",
    "timeout",
  ],
  enter(node, step) {
    step.send(node, renderQuestion(node, step, 0));
    return { kind: "wait", reason: "input" };
  },
  resume(node, event, step) {
    if (event.type !== "input") return { kind: "next" };
    const attempts = step.state.waiting?.attempts ?? 0;
    if (event.optionId?.startsWith(MORE_OPTIONS_PREFIX)) {
      const page = Number.parseInt(event.optionId.slice(MORE_OPTIONS_PREFIX.length), 10);
      step.send(node, renderQuestion(node, step, Number.isFinite(page) && page >= 0 ? page : 0));
      return { kind: "wait", reason: "input", attempts };
    }
    const { saveAnswerTo, options } = node.data;
    const option = matchOption(options, event.text, event.optionId);
    if (option) {
      if (saveAnswerTo) {
        step.setVariable(node, saveAnswerTo, option.title);
        step.setVariable(node, `${saveAnswerTo}_id`, option.id);
      }
      return { kind: "next", handle: optionHandle(option.id) };
    }
    if (findDefaultEdge(step.flow, node.id, false)) {
      if (saveAnswerTo) step.setVariable(node, saveAnswerTo, event.text);
      return { kind: "next" };
    }
    return retryOrGiveUp(node, step, attempts, node.data.retryMessage ?? DEFAULT_RETRY_MESSAGE, () =>
      renderQuestion(node, step, 0),
    );
  },
};

/** Re-asks after a wrong answer, or gives up after `maxAttempts` wrong answers. */
export function retryOrGiveUp(
  node: CompiledNodeOf<"question"> | CompiledNodeOf<"question_input"> | CompiledNodeOf<"user_input_flow">,
  step: Step,
  attempts: number,
  retryText: string,
  question: () => OutboundMessage,
  scratch?: Record<string, unknown>,
): NodeOutcome {
  const failures = attempts + 1;
  if (failures >= (node.data.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
    return findEdge(step.flow, node.id, "invalid")
      ? { kind: "next", handle: "invalid", strict: true }
      : { kind: "end", outcome: "completed" };
  }
  step.send(node, { type: "text", text: step.render(retryText) });
  step.send(node, question());
  return { kind: "wait", reason: "input", attempts: failures, ...(scratch ? { scratch } : {}) };
}

/** Finds the option a reply means: its id, its title, or its 1-based number. */
export function matchOption(
  options: readonly QuestionOption[],
  text: string,
  optionId: string | undefined,
): QuestionOption | undefined {
  if (optionId !== undefined) {
    const byId = options.find((option) => option.id === optionId);
    if (byId) return byId;
  }
  const wanted = text.trim().toLowerCase();
  if (wanted === "") return undefined;
  const byTitle = options.find((option) => option.title.trim().toLowerCase() === wanted);
  if (byTitle) return byTitle;
  if (/^\d{1,3}$/.test(wanted)) return options[Number(wanted) - 1];
  return undefined;
}

function renderQuestion(node: CompiledNodeOf<"question">, step: Step, page: number): OutboundMessage {
  const { body, header, footer, options, buttonText, type } = node.data;
  const common = {
    body: step.render(body),
    ...(header ? { header: step.render(header) } : {}),
    ...(footer ? { footer: step.render(footer) } : {}),
  };
  if (options.length <= 3 && type !== "list") {
    return {
      type: "buttons",
      ...common,
      buttons: options.map((o) => ({ id: o.id, title: step.render(o.title) })),
    };
  }
  return {
    type: "list",
    ...common,
    buttonText: buttonText ?? "View options",
    rows: options.map((o) => ({
      id: o.id,
      title: step.render(o.title),
      ...(o.description ? { description: step.render(o.description) } : {}),
    })),
    ...(page > 0 ? { page } : {}),
  };
}
