/**
 * `user_input_flow`: seed 004's questionnaire. Questions are asked in order, answers stored under
 * `answers.<id>`, optional ones skippable; then an optional submit to an external API whose reply can
 * add questions, continue the flow or end it. A failed call apologises and never crashes the flow.
 */
import type { InputValidation } from "../../core/flow.ts";
import type { CompiledNodeOf } from "../compile.ts";
import { findEdge } from "../compile.ts";
import { validateInput } from "../input-validation.ts";
import type { NodeHandler, NodeOutcome, Step } from "../step.ts";
import { retryOrGiveUp } from "./question.ts";

export const DEFAULT_APOLOGY = "Sorry, we could not process your answers right now. Please try again later.";
const SUBMIT_TIMEOUT_MS = 10_000;

interface Question {
  id: string;
  text: string;
  required: boolean;
  validation?: InputValidation;
}

interface Progress {
  index: number;
  extra: Question[];
}

type Node = CompiledNodeOf<"user_input_flow">;

export const userInputFlowNode: NodeHandler<"user_input_flow"> = {
  handles: () => ["default", "ended", "error", "invalid", "timeout"],
  enter(node, step) {
    if (node.data.intro) step.send(node, { type: "text", text: step.render(node.data.intro) });
    return askOrSubmit(node, step, { index: 0, extra: [] });
  },
  resume(node, event, step) {
    const progress = readProgress(step);
    if (event.type === "httpResult") return readSubmitResult(node, step, progress, event);
    if (event.type !== "input") return { kind: "next" };
    const question = questionsOf(node, progress)[progress.index];
    if (!question) return askOrSubmit(node, step, progress);
    const skipped =
      !question.required && event.text.trim().toLowerCase() === node.data.skipWord.toLowerCase();
    if (!skipped) {
      const rules = question.validation ?? { type: question.required ? "text" : "any" };
      const result = validateInput(event.text, rules);
      if (!result.valid) {
        const attempts = step.state.waiting?.attempts ?? 0;
        const retry = node.data.errorMessage ?? result.reason;
        return retryOrGiveUp(
          node,
          step,
          attempts,
          retry,
          () => ({ type: "text", text: step.render(question.text) }),
          {
            ...progress,
          },
        );
      }
      step.setVariable(node, `answers.${question.id}`, result.value);
    }
    return askOrSubmit(node, step, { ...progress, index: progress.index + 1 });
  },
};

function questionsOf(node: Node, progress: Progress): Question[] {
  return [...node.data.questions, ...progress.extra];
}

function askOrSubmit(node: Node, step: Step, progress: Progress): NodeOutcome {
  const question = questionsOf(node, progress)[progress.index];
  const scratch = { index: progress.index, extra: progress.extra };
  if (question) {
    step.send(node, { type: "text", text: step.render(question.text) });
    return { kind: "wait", reason: "input", scratch };
  }
  if (!node.data.submitUrl) return { kind: "next" };
  const answers = step.lookup("answers");
  const payload = {
    user_phone: step.context.contact.phone ?? step.context.contact.id,
    timestamp: new Date(step.now).toISOString(),
    answers: answers !== null && typeof answers === "object" ? answers : {},
  };
  const requestId = step.newId();
  const request = {
    method: "POST",
    url: step.render(node.data.submitUrl),
    headers: { "content-type": "application/json", ...node.data.submitHeaders },
    body: JSON.stringify(payload),
    timeoutMs: SUBMIT_TIMEOUT_MS,
  };
  step.emit({ type: "httpRequest", requestId, nodeId: node.id, request });
  step.log(node, "http_call", { input: { method: request.method, url: request.url, body: payload } });
  return { kind: "wait", reason: "http", scratch };
}

function readSubmitResult(
  node: Node,
  step: Step,
  progress: Progress,
  event: { ok: boolean; status?: number; body?: unknown; error?: string },
): NodeOutcome {
  step.log(node, "http_call", {
    output: { ok: event.ok, status: event.status ?? null, body: event.body ?? null },
  });
  const body = event.body;
  if (!event.ok || body === null || typeof body !== "object" || Array.isArray(body)) {
    step.send(node, { type: "text", text: step.render(node.data.apologyMessage ?? DEFAULT_APOLOGY) });
    return findEdge(step.flow, node.id, "error")
      ? { kind: "next", handle: "error", strict: true }
      : { kind: "end", outcome: "completed" };
  }
  const reply = body as Record<string, unknown>;
  const message = typeof reply.message === "string" ? reply.message : undefined;
  const finalMessage = typeof reply.final_message === "string" ? reply.final_message : undefined;
  const added = readQuestions(reply.additional_questions);
  if (added.length > 0) {
    if (message) step.send(node, { type: "text", text: message });
    return askOrSubmit(node, step, { index: progress.index, extra: [...progress.extra, ...added] });
  }
  if (reply.continue_conversation === false) {
    const text = finalMessage ?? message;
    if (text) step.send(node, { type: "text", text });
    return findEdge(step.flow, node.id, "ended")
      ? { kind: "next", handle: "ended", strict: true }
      : { kind: "end", outcome: "completed" };
  }
  if (message) step.send(node, { type: "text", text: message });
  return { kind: "next" };
}

function readQuestions(value: unknown): Question[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): Question[] => {
    if (item === null || typeof item !== "object") return [];
    const { id, text, required } = item as Record<string, unknown>;
    if (typeof id !== "string" || id === "" || typeof text !== "string") return [];
    return [{ id, text, required: required !== false }];
  });
}

function readProgress(step: Step): Progress {
  const scratch = step.state.waiting?.scratch ?? {};
  const index = typeof scratch.index === "number" ? scratch.index : 0;
  const extra = Array.isArray(scratch.extra) ? readQuestions(scratch.extra) : [];
  return { index, extra };
}
