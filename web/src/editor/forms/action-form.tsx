/** Inspector form for an action node: the action type and the fields that type needs. */
import { ACTION_TYPES } from "../../../../src/core/flow.ts";
import { SelectField, TextField } from "../../components/fields.tsx";
import { type FormProps, LIMITS, str } from "./form-props.ts";
import { HttpRequestFields } from "./http-request-fields.tsx";

/** The action node form. */
export function ActionForm({ data, onChange }: FormProps) {
  const actionType = str(data.actionType) || "end";
  return (
    <>
      <SelectField
        label="Action"
        testId="field-action-type"
        value={isActionType(actionType) ? actionType : "end"}
        options={ACTION_TYPES}
        onChange={(next) => onChange({ actionType: next }, "actionType")}
      />
      {actionType === "end" || actionType === "handoff" || actionType === "fallback_ai" ? (
        <TextField
          label="Message (optional)"
          testId="field-action-message"
          multiline
          limit={LIMITS.text}
          value={str(data.message)}
          onChange={(message) => onChange({ message }, "message")}
        />
      ) : null}
      {actionType === "add_tag" || actionType === "remove_tag" ? (
        <TextField
          label="Tag"
          testId="field-tag"
          value={str(data.tag)}
          onChange={(tag) => onChange({ tag }, "tag")}
        />
      ) : null}
      {actionType === "assign" ? (
        <TextField
          label="Assign to"
          testId="field-assign-to"
          value={str(data.assignTo)}
          onChange={(assignTo) => onChange({ assignTo }, "assignTo")}
        />
      ) : null}
      {actionType === "set_variable" ? (
        <>
          <TextField
            label="Variable"
            testId="field-variable-name"
            value={str(data.variableName)}
            onChange={(variableName) => onChange({ variableName }, "variableName")}
          />
          <TextField
            label="Value"
            testId="field-value"
            value={data.value === undefined ? "" : String(data.value)}
            onChange={(value) => onChange({ value }, "value")}
          />
        </>
      ) : null}
      {actionType === "jump" ? (
        <>
          <TextField
            label="Target node id"
            testId="field-target-node"
            value={str(data.targetNodeId)}
            onChange={(targetNodeId) => onChange({ targetNodeId }, "targetNodeId")}
          />
          <TextField
            label="Target flow id (optional)"
            testId="field-target-flow"
            value={str(data.targetFlowId)}
            onChange={(targetFlowId) => onChange({ targetFlowId }, "targetFlowId")}
          />
        </>
      ) : null}
      {actionType === "http_request" ? <HttpRequestFields data={data} onChange={onChange} /> : null}
    </>
  );
}

function isActionType(value: string): value is (typeof ACTION_TYPES)[number] {
  return (ACTION_TYPES as readonly string[]).includes(value);
}
