/**
 * One canvas component per node type. Each shows its content and one source handle per output the
 * engine knows (`option-{id}`, `true`/`false`, `success`/`error`, `invalid`, `timeout`, …).
 */
import { Handle, type NodeProps, type NodeTypes, Position, useUpdateNodeInternals } from "@xyflow/react";
import { type ReactNode, useEffect, useRef } from "react";
import type { NodeType } from "../../../src/core/flow.ts";
import { AnalyticsBadge } from "./analytics-overlay.tsx";
import { useHighlight } from "./highlight-context.ts";
import { handleLabel, isRecord, NODE_INFO, outputHandles } from "./node-catalog.ts";

type Data = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function NodeShell({
  id,
  type,
  data,
  selected,
  children,
}: {
  id: string;
  type: NodeType;
  data: Data;
  selected: boolean;
  children: ReactNode;
}) {
  const info = NODE_INFO[type];
  const highlight = useHighlight();
  const handles = outputHandles(type, data);
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKey = handles.join("|");
  const mountedKey = useRef(handleKey);
  useEffect(() => {
    // Re-measure only when the handle set changes after mount (an option added or removed); the
    // first measurement is the canvas' own, and an extra one here would race the initial fit.
    if (mountedKey.current === handleKey) return;
    mountedKey.current = handleKey;
    updateNodeInternals(id);
  }, [handleKey, id, updateNodeInternals]);
  const issue = highlight.issues.get(id);
  const classes = [
    "flow-node",
    `type-${type}`,
    selected ? "selected" : "",
    highlight.currentNodeId === id ? "current" : "",
    highlight.visited.has(id) ? "visited" : "",
    issue ? `has-${issue}` : "",
  ];
  return (
    <div className={classes.filter(Boolean).join(" ")} data-testid={`node-${id}`} data-node-type={type}>
      {type !== "start" ? (
        <Handle
          type="target"
          position={Position.Left}
          id="in"
          className="handle target"
          data-testid={`handle-${id}-target`}
        />
      ) : null}
      {highlight.analytics ? <AnalyticsBadge nodeId={id} analytics={highlight.analytics.get(id)} /> : null}
      <div className="flow-node-head">
        <span aria-hidden="true" className="flow-node-icon">
          {info.icon}
        </span>
        <span className="flow-node-title">{info.label}</span>
        {issue ? (
          <span className={`dot ${issue}`} title={issue === "error" ? "Has errors" : "Has warnings"} />
        ) : null}
        <span className="flow-node-id">{id}</span>
      </div>
      <div className="flow-node-body">{children}</div>
      {handles.length > 0 ? (
        <div className="flow-node-outputs">
          {handles.map((handle) => (
            <div key={handle} className={`output output-${handle.replace(/-.*/, "")}`}>
              <span className="output-label">{handleLabel(handle, data)}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={handle}
                className="handle source"
                data-testid={`handle-${id}-${handle}`}
              />
            </div>
          ))}
        </div>
      ) : (
        <div className="flow-node-end muted small">ends here</div>
      )}
    </div>
  );
}

function Preview({ text, placeholder }: { text: string; placeholder: string }) {
  return text.trim() === "" ? (
    <p className="preview empty">{placeholder}</p>
  ) : (
    <p className="preview">{text}</p>
  );
}

function StartNode({ id, data, selected }: NodeProps) {
  const keywords = list(data.keywords).filter((k): k is string => typeof k === "string");
  return (
    <NodeShell id={id} type="start" data={data} selected={selected}>
      {keywords.length === 0 ? (
        <p className="preview empty">No keywords (API or manual start)</p>
      ) : (
        <div className="chips">
          {keywords.map((keyword) => (
            <span key={keyword} className="chip">
              {keyword}
            </span>
          ))}
        </div>
      )}
    </NodeShell>
  );
}

function TextNode({ id, data, selected }: NodeProps) {
  return (
    <NodeShell id={id} type="text" data={data} selected={selected}>
      <Preview text={str(data.text)} placeholder="Empty message" />
    </NodeShell>
  );
}

function QuestionNode({ id, data, selected }: NodeProps) {
  const count = list(data.options).length;
  const kind = str(data.type) || (count <= 3 ? "buttons" : "list");
  return (
    <NodeShell id={id} type="question" data={data} selected={selected}>
      {str(data.header) ? <p className="preview strong">{str(data.header)}</p> : null}
      <Preview text={str(data.body)} placeholder="No question text" />
      <p className="muted small">
        {kind === "list" ? "List" : "Buttons"} · {count} option{count === 1 ? "" : "s"}
        {str(data.saveAnswerTo) ? ` → {{${str(data.saveAnswerTo)}}}` : ""}
      </p>
    </NodeShell>
  );
}

function MediaNode({ id, data, selected }: NodeProps) {
  return (
    <NodeShell id={id} type="media" data={data} selected={selected}>
      <p className="muted small">{str(data.mediaType) || "image"}</p>
      <Preview text={str(data.mediaUrl)} placeholder="No URL" />
      {str(data.caption) ? <p className="preview">{str(data.caption)}</p> : null}
    </NodeShell>
  );
}

function ConditionNode({ id, data, selected }: NodeProps) {
  const rules = list(data.rules).filter(isRecord);
  const logic = str(data.logic).toUpperCase() === "OR" ? "OR" : "AND";
  return (
    <NodeShell id={id} type="condition" data={data} selected={selected}>
      {str(data.expression) ? (
        <code className="preview">{str(data.expression)}</code>
      ) : rules.length === 0 ? (
        <p className="preview empty">No rules</p>
      ) : (
        <ul className="rules">
          {rules.slice(0, 4).map((rule, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a read-only preview; rules have no id
            <li key={`${index}-${str(rule.field)}`}>
              {index > 0 ? <span className="muted">{logic} </span> : null}
              <code>{str(rule.field) || "?"}</code> {str(rule.operator) || "equals"}{" "}
              <code>{String(rule.value ?? "")}</code>
            </li>
          ))}
          {rules.length > 4 ? <li className="muted">+{rules.length - 4} more</li> : null}
        </ul>
      )}
    </NodeShell>
  );
}

function QuestionInputNode({ id, data, selected }: NodeProps) {
  const validation = isRecord(data.validation) ? str(data.validation.type) : "";
  const variable = str(data.variableName) || str(data.saveAnswerTo);
  return (
    <NodeShell id={id} type="question_input" data={data} selected={selected}>
      <Preview text={str(data.question)} placeholder="No question text" />
      <p className="muted small">
        {validation || "text"}
        {variable ? ` → {{${variable}}}` : ""}
      </p>
    </NodeShell>
  );
}

function UserInputFlowNode({ id, data, selected }: NodeProps) {
  const questions = list(data.questions).filter(isRecord);
  return (
    <NodeShell id={id} type="user_input_flow" data={data} selected={selected}>
      <ol className="rules">
        {questions.slice(0, 4).map((question, index) => (
          <li key={str(question.id) || index}>
            {str(question.text) || <span className="muted">(empty)</span>}
          </li>
        ))}
      </ol>
      {questions.length > 4 ? <p className="muted small">+{questions.length - 4} more</p> : null}
      {str(data.submitUrl) ? <p className="muted small">Submits to {str(data.submitUrl)}</p> : null}
    </NodeShell>
  );
}

function TemplateNode({ id, data, selected }: NodeProps) {
  const name = str(data.templateName) || str(data.template_name);
  return (
    <NodeShell id={id} type="template" data={data} selected={selected}>
      <Preview text={name} placeholder="No template chosen" />
      <p className="muted small">
        {str(data.language) || "en_US"} · {list(data.params).length} param
        {list(data.params).length === 1 ? "" : "s"}
      </p>
    </NodeShell>
  );
}

function ActionNode({ id, data, selected }: NodeProps) {
  const actionType = str(data.actionType) || "end";
  const detail =
    actionType === "http_request"
      ? `${str(data.method) || "GET"} ${str(data.url)}`
      : actionType === "set_variable"
        ? `${str(data.variableName)} = ${String(data.value ?? "")}`
        : actionType === "add_tag" || actionType === "remove_tag"
          ? str(data.tag)
          : actionType === "jump"
            ? `→ ${str(data.targetNodeId) || str(data.targetFlowId)}`
            : actionType === "assign"
              ? str(data.assignTo)
              : str(data.message);
  return (
    <NodeShell id={id} type="action" data={data} selected={selected}>
      <p className="strong small">{actionType.replace(/_/g, " ")}</p>
      {detail.trim() ? <p className="preview">{detail}</p> : null}
    </NodeShell>
  );
}

function WaitNode({ id, data, selected }: NodeProps) {
  const duration = typeof data.duration === "number" ? data.duration : 60;
  return (
    <NodeShell id={id} type="wait" data={data} selected={selected}>
      <p className="preview">
        Wait {duration} {str(data.unit) || "seconds"}
      </p>
    </NodeShell>
  );
}

export const NODE_COMPONENTS = {
  start: StartNode,
  text: TextNode,
  question: QuestionNode,
  media: MediaNode,
  condition: ConditionNode,
  question_input: QuestionInputNode,
  user_input_flow: UserInputFlowNode,
  template: TemplateNode,
  action: ActionNode,
  wait: WaitNode,
} satisfies Record<NodeType, NodeTypes[string]>;
