/**
 * `action`: end, AI fallback, human handoff, assignment, tags, variables, HTTP calls and jumps.
 * Everything with I/O is an effect; an HTTP call waits for the runtime's `httpResult` event.
 */
import type { ContactOperation, HttpRequestSpec } from "../../core/execution.ts";
import type { CompiledNodeOf } from "../compile.ts";
import { findEdge } from "../compile.ts";
import { readJsonPath } from "../json-path.ts";
import type { NodeHandler, NodeOutcome, ResumeEvent, Step } from "../step.ts";

type Node = CompiledNodeOf<"action">;
const DEFAULT_HTTP_TIMEOUT_SECONDS = 10;

export const actionNode: NodeHandler<"action"> = {
  handles(data) {
    switch (data.actionType) {
      case "http_request":
        return ["success", "error"];
      case "handoff":
        return ["default", "timeout"];
      case "end":
      case "fallback_ai":
      case "jump":
        return [];
      default:
        return ["default"];
    }
  },
  enter(node, step) {
    const { data } = node;
    switch (data.actionType) {
      case "end":
        sendMessage(node, step);
        return { kind: "end", outcome: "completed" };
      case "fallback_ai":
        sendMessage(node, step);
        step.setVariable(node, "_handoff_to_ai", true);
        return { kind: "end", outcome: "completed" };
      case "handoff":
        sendMessage(node, step);
        step.emit({
          type: "handoff",
          nodeId: node.id,
          ...(data.message ? { reason: step.render(data.message) } : {}),
        });
        return { kind: "wait", reason: "handoff" };
      case "assign":
        return contact(node, step, { op: "assign", assignee: step.render(data.assignTo ?? "") });
      case "add_tag":
        return contact(node, step, { op: "add_tag", tag: step.render(data.tag ?? "") });
      case "remove_tag":
        return contact(node, step, { op: "remove_tag", tag: step.render(data.tag ?? "") });
      case "set_variable": {
        if (!data.variableName) return invalid("set_variable needs a variableName");
        const value = typeof data.value === "string" ? step.render(data.value) : data.value;
        step.setVariable(node, data.variableName, value ?? null);
        return { kind: "next" };
      }
      case "http_request":
        return startHttpRequest(node, step);
      case "jump":
        return jump(node, step);
    }
  },
  resume(node, event, step) {
    if (event.type === "httpResult") return readHttpResult(node, step, event);
    return { kind: "next" }; // handback after a handoff
  },
};

function sendMessage(node: Node, step: Step): void {
  if (node.data.message) step.send(node, { type: "text", text: step.render(node.data.message) });
}

function contact(node: Node, step: Step, operation: ContactOperation): NodeOutcome {
  const value = "tag" in operation ? operation.tag : operation.assignee;
  if (value.trim() === "") return invalid(`${operation.op} needs a value`);
  step.emit({ type: "contact", nodeId: node.id, operation });
  return { kind: "next" };
}

function jump(node: Node, step: Step): NodeOutcome {
  const { targetNodeId, targetFlowId } = node.data;
  if (targetNodeId) return { kind: "goto", nodeId: targetNodeId };
  if (!targetFlowId) return invalid("jump needs a targetNodeId or a targetFlowId");
  step.emit({
    type: "startFlow",
    nodeId: node.id,
    flowId: targetFlowId,
    variables: { ...step.state.variables },
  });
  return { kind: "end", outcome: "completed" };
}

function startHttpRequest(node: Node, step: Step): NodeOutcome {
  const { data } = node;
  const url = step.render(data.url ?? "").trim();
  if (!/^https?:\/\//i.test(url)) return invalid(`http_request needs an http(s) URL, got "${url}"`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(data.headers ?? {}))
    headers[name.toLowerCase()] = step.render(value);
  const request: HttpRequestSpec = {
    method: data.method,
    url,
    headers,
    timeoutMs: (data.timeoutSeconds ?? DEFAULT_HTTP_TIMEOUT_SECONDS) * 1000,
  };
  if (data.body !== undefined && data.body !== null && data.method !== "GET") {
    if (typeof data.body === "string") {
      request.body = step.render(data.body);
    } else {
      request.body = JSON.stringify(renderDeep(data.body, step));
      headers["content-type"] ??= "application/json";
    }
  }
  const requestId = step.newId();
  step.emit({ type: "httpRequest", requestId, nodeId: node.id, request });
  step.log(node, "http_call", {
    input: { method: request.method, url, headers, body: request.body ?? null },
  });
  return { kind: "wait", reason: "http" };
}

function readHttpResult(
  node: Node,
  step: Step,
  result: Extract<ResumeEvent, { type: "httpResult" }>,
): NodeOutcome {
  step.log(node, "http_call", {
    output: {
      ok: result.ok,
      status: result.status ?? null,
      body: result.body ?? null,
      error: result.error ?? null,
    },
  });
  if (!result.ok) {
    step.setVariable(node, "http_error", result.error ?? `HTTP ${result.status ?? "error"}`);
    if (findEdge(step.flow, node.id, "error")) return { kind: "next", handle: "error", strict: true };
    return {
      kind: "fail",
      code: "HTTP_REQUEST_FAILED",
      message: result.error ?? `The HTTP call failed (${result.status ?? "no status"}).`,
    };
  }
  const { saveResponseTo, responseMapping } = node.data;
  if (saveResponseTo) step.setVariable(node, saveResponseTo, result.body ?? null);
  for (const [variable, path] of Object.entries(responseMapping ?? {})) {
    step.setVariable(node, variable, readJsonPath(result.body, path) ?? null);
  }
  return { kind: "next", handle: "success" };
}

function renderDeep(value: unknown, step: Step): unknown {
  if (typeof value === "string") return step.render(value);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, step));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderDeep(item, step)]));
  }
  return value;
}

function invalid(message: string): NodeOutcome {
  return { kind: "fail", code: "ENGINE_INVALID_NODE", message };
}
