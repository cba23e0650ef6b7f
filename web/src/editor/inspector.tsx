/** The form for the selected node, one per type; edits go through `onChange(patch)` so undo sees them. */
import type { ComponentType } from "react";
import { isNodeType, type NodeType } from "../../../src/core/flow.ts";
import { ActionForm } from "./forms/action-form.tsx";
import { ConditionForm } from "./forms/condition-form.tsx";
import type { FormProps, Patch } from "./forms/form-props.ts";
import { MediaForm } from "./forms/media-form.tsx";
import { QuestionForm } from "./forms/question-form.tsx";
import { QuestionInputForm } from "./forms/question-input-form.tsx";
import { StartForm } from "./forms/start-form.tsx";
import { TemplateForm } from "./forms/template-form.tsx";
import { TextForm } from "./forms/text-form.tsx";
import { UserInputFlowForm } from "./forms/user-input-flow-form.tsx";
import { WaitForm } from "./forms/wait-form.tsx";
import type { CanvasNode } from "./graph.ts";
import { NODE_INFO } from "./node-catalog.ts";

export { LIMITS } from "./forms/form-props.ts";

/** Shows the selected node's header and its type's form, or a hint when nothing is selected. */
export function Inspector({
  node,
  onChange,
  onDelete,
}: {
  node: CanvasNode | null;
  onChange: (nodeId: string, patch: Patch, field: string) => void;
  onDelete: (nodeId: string) => void;
}) {
  if (!node) return <p className="muted pad">Select a node to edit it, or drag one from the palette.</p>;
  const type = node.type ?? "";
  if (!isNodeType(type)) return <p className="error-text pad">Unknown node type “{type}”.</p>;
  const NodeForm = NODE_FORMS[type];
  const props: FormProps = { data: node.data, onChange: (patch, field) => onChange(node.id, patch, field) };
  return (
    <div className="inspector" data-testid="inspector" data-node-id={node.id}>
      <div className="inspector-head">
        <h2>
          {NODE_INFO[type].icon} {NODE_INFO[type].label}
        </h2>
        <code className="muted small">{node.id}</code>
        <span className="spacer" />
        <button
          type="button"
          className="btn small danger"
          onClick={() => onDelete(node.id)}
          data-testid="inspector-delete"
        >
          Delete
        </button>
      </div>
      <NodeForm {...props} />
    </div>
  );
}

/** One form per node type; a missing form does not compile. */
const NODE_FORMS = {
  start: StartForm,
  text: TextForm,
  question: QuestionForm,
  media: MediaForm,
  condition: ConditionForm,
  question_input: QuestionInputForm,
  user_input_flow: UserInputFlowForm,
  template: TemplateForm,
  action: ActionForm,
  wait: WaitForm,
} satisfies Record<NodeType, ComponentType<FormProps>>;
