/** The form for the selected node, one per type; edits go through `onChange(patch)` so undo sees them. */
import { ACTION_TYPES, isNodeType, VALIDATION_TYPES } from "../../../src/core/flow.ts";
import { CheckboxField, NumberField, SelectField, TextField } from "../components/fields.tsx";
import type { CanvasNode } from "./graph.ts";
import {
  moveItem,
  OptionsEditor,
  RulesEditor,
  readOptions,
  readRules,
  readStrings,
  StringListEditor,
} from "./list-editors.tsx";
import { isRecord, NODE_INFO } from "./node-catalog.ts";

/** WhatsApp's limits, so authors see overlong text before the channel cuts it. */
export const LIMITS = {
  text: 4096,
  body: 1024,
  header: 60,
  footer: 60,
  buttonTitle: 20,
  rowTitle: 24,
  buttonText: 20,
  caption: 1024,
} as const;

type Patch = Record<string, unknown>;
interface FormProps {
  data: Record<string, unknown>;
  onChange: (patch: Patch, field: string) => void;
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

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
      {type === "start" ? <StartForm {...props} /> : null}
      {type === "text" ? (
        <TextField
          label="Message"
          testId="field-text"
          multiline
          rows={6}
          limit={LIMITS.text}
          value={str(props.data.text)}
          onChange={(text) => props.onChange({ text }, "text")}
          hint="Use {{variable}} to insert a value."
        />
      ) : null}
      {type === "question" ? <QuestionForm {...props} /> : null}
      {type === "media" ? <MediaForm {...props} /> : null}
      {type === "condition" ? <ConditionForm {...props} /> : null}
      {type === "question_input" ? <QuestionInputForm {...props} /> : null}
      {type === "user_input_flow" ? <UserInputFlowForm {...props} /> : null}
      {type === "template" ? <TemplateForm {...props} /> : null}
      {type === "action" ? <ActionForm {...props} /> : null}
      {type === "wait" ? <WaitForm {...props} /> : null}
    </div>
  );
}

function StartForm({ data, onChange }: FormProps) {
  return (
    <>
      <TextField
        label="Label"
        testId="field-label"
        value={str(data.label)}
        onChange={(label) => onChange({ label }, "label")}
      />
      <h3>Trigger keywords</h3>
      <p className="hint">Matched case-insensitively after trimming.</p>
      <StringListEditor
        label="Keyword"
        testId="keyword"
        items={readStrings(data.keywords)}
        onChange={(keywords) => onChange({ keywords }, "keywords")}
      />
    </>
  );
}

function QuestionForm({ data, onChange }: FormProps) {
  const options = readOptions(data.options);
  const kind =
    str(data.type) === "list" || (str(data.type) === "" && options.length > 3) ? "list" : "buttons";
  return (
    <>
      <SelectField
        label="Show as"
        testId="field-question-type"
        value={str(data.type) || "auto"}
        options={[
          { value: "auto", label: "Automatic (buttons up to 3, else list)" },
          { value: "buttons", label: "Reply buttons" },
          { value: "list", label: "List" },
        ]}
        onChange={(value) => onChange({ type: value === "auto" ? undefined : value }, "type")}
      />
      <TextField
        label="Header"
        testId="field-header"
        limit={LIMITS.header}
        value={str(data.header)}
        onChange={(header) => onChange({ header }, "header")}
      />
      <TextField
        label="Body"
        testId="field-body"
        multiline
        rows={4}
        limit={LIMITS.body}
        value={str(data.body)}
        onChange={(body) => onChange({ body }, "body")}
      />
      <TextField
        label="Footer"
        testId="field-footer"
        limit={LIMITS.footer}
        value={str(data.footer)}
        onChange={(footer) => onChange({ footer }, "footer")}
      />
      {kind === "list" ? (
        <TextField
          label="List button text"
          testId="field-button-text"
          limit={LIMITS.buttonText}
          value={str(data.buttonText)}
          onChange={(buttonText) => onChange({ buttonText }, "buttonText")}
        />
      ) : null}
      <h3>Options</h3>
      <OptionsEditor
        options={options}
        titleLimit={kind === "list" ? LIMITS.rowTitle : LIMITS.buttonTitle}
        showDescriptions={kind === "list"}
        onChange={(next) => onChange({ options: next }, "options")}
      />
      <TextField
        label="Save answer to variable"
        testId="field-save-answer"
        value={str(data.saveAnswerTo)}
        onChange={(saveAnswerTo) => onChange({ saveAnswerTo }, "saveAnswerTo")}
      />
      <TextField
        label="Retry message"
        testId="field-retry-message"
        value={str(data.retryMessage)}
        onChange={(retryMessage) => onChange({ retryMessage }, "retryMessage")}
      />
      <NumberField
        label="Max attempts"
        testId="field-max-attempts"
        min={1}
        value={num(data.maxAttempts)}
        onChange={(maxAttempts) => onChange({ maxAttempts }, "maxAttempts")}
      />
      <NumberField
        label="Timeout (seconds)"
        testId="field-timeout"
        min={1}
        value={num(data.timeoutSeconds)}
        onChange={(timeoutSeconds) => onChange({ timeoutSeconds }, "timeoutSeconds")}
      />
    </>
  );
}

function MediaForm({ data, onChange }: FormProps) {
  return (
    <>
      <SelectField
        label="Media type"
        testId="field-media-type"
        value={str(data.mediaType) || "image"}
        options={["image", "video", "audio", "document", "sticker"] as const}
        onChange={(mediaType) => onChange({ mediaType }, "mediaType")}
      />
      <TextField
        label="URL"
        testId="field-media-url"
        value={str(data.mediaUrl)}
        onChange={(mediaUrl) => onChange({ mediaUrl }, "mediaUrl")}
        placeholder="https://…"
      />
      <TextField
        label="Caption"
        testId="field-caption"
        multiline
        limit={LIMITS.caption}
        value={str(data.caption)}
        onChange={(caption) => onChange({ caption }, "caption")}
      />
      {str(data.mediaType) === "document" ? (
        <TextField
          label="File name"
          testId="field-filename"
          value={str(data.filename)}
          onChange={(filename) => onChange({ filename }, "filename")}
        />
      ) : null}
    </>
  );
}

function ConditionForm({ data, onChange }: FormProps) {
  return (
    <>
      <SelectField
        label="Match"
        testId="field-logic"
        value={str(data.logic).toUpperCase() === "OR" ? "OR" : "AND"}
        options={
          [
            { value: "AND", label: "All rules (AND)" },
            { value: "OR", label: "Any rule (OR)" },
          ] as const
        }
        onChange={(logic) => onChange({ logic }, "logic")}
      />
      <h3>Rules</h3>
      <RulesEditor rules={readRules(data.rules)} onChange={(rules) => onChange({ rules }, "rules")} />
      <TextField
        label="Expression (overrides rules)"
        testId="field-expression"
        mono
        value={str(data.expression)}
        onChange={(expression) =>
          onChange({ expression: expression === "" ? undefined : expression }, "expression")
        }
        hint='e.g. age >= 18 and city == "Madrid"'
      />
    </>
  );
}

function ValidationSettings({
  value,
  onChange,
}: {
  value: Record<string, unknown>;
  onChange: (validation: Record<string, unknown>) => void;
}) {
  const type = str(value.type) || "text";
  const set = (patch: Patch) => onChange({ ...value, ...patch });
  return (
    <fieldset className="fieldset">
      <legend>Validation</legend>
      <SelectField
        label="Expected answer"
        testId="field-validation-type"
        value={isValidationType(type) ? type : "text"}
        options={VALIDATION_TYPES}
        onChange={(next) => set({ type: next })}
      />
      {type === "text" || type === "any" || type === "regex" ? (
        <div className="two-cols">
          <NumberField
            label="Min length"
            testId="field-validation-min-length"
            min={0}
            value={num(value.minLength)}
            onChange={(minLength) => set({ minLength })}
          />
          <NumberField
            label="Max length"
            testId="field-validation-max-length"
            min={1}
            value={num(value.maxLength)}
            onChange={(maxLength) => set({ maxLength })}
          />
        </div>
      ) : null}
      {type === "number" ? (
        <div className="two-cols">
          <NumberField
            label="Minimum"
            testId="field-validation-min"
            value={num(value.min)}
            onChange={(min) => set({ min })}
          />
          <NumberField
            label="Maximum"
            testId="field-validation-max"
            value={num(value.max)}
            onChange={(max) => set({ max })}
          />
        </div>
      ) : null}
      {type === "regex" ? (
        <TextField
          label="Pattern"
          testId="field-validation-pattern"
          mono
          value={str(value.pattern)}
          onChange={(pattern) => set({ pattern })}
        />
      ) : null}
      {type === "phone" ? (
        <TextField
          label="Default country code"
          testId="field-validation-country"
          value={str(value.defaultCountryCode)}
          onChange={(defaultCountryCode) => set({ defaultCountryCode })}
          placeholder="34"
        />
      ) : null}
    </fieldset>
  );
}

function isValidationType(value: string): value is (typeof VALIDATION_TYPES)[number] {
  return (VALIDATION_TYPES as readonly string[]).includes(value);
}

function QuestionInputForm({ data, onChange }: FormProps) {
  return (
    <>
      <TextField
        label="Question"
        testId="field-question"
        multiline
        rows={4}
        limit={LIMITS.text}
        value={str(data.question)}
        onChange={(question) => onChange({ question }, "question")}
      />
      <TextField
        label="Save answer to variable"
        testId="field-variable-name"
        value={str(data.variableName)}
        onChange={(variableName) => onChange({ variableName }, "variableName")}
      />
      <ValidationSettings
        value={isRecord(data.validation) ? data.validation : {}}
        onChange={(validation) => onChange({ validation }, "validation")}
      />
      <TextField
        label="Error message"
        testId="field-error-message"
        value={str(data.errorMessage)}
        onChange={(errorMessage) => onChange({ errorMessage }, "errorMessage")}
      />
      <NumberField
        label="Max attempts"
        testId="field-max-attempts"
        min={1}
        value={num(data.maxAttempts)}
        onChange={(maxAttempts) => onChange({ maxAttempts }, "maxAttempts")}
      />
      <NumberField
        label="Timeout (seconds)"
        testId="field-timeout"
        min={1}
        value={num(data.timeoutSeconds)}
        onChange={(timeoutSeconds) => onChange({ timeoutSeconds }, "timeoutSeconds")}
      />
    </>
  );
}

function UserInputFlowForm({ data, onChange }: FormProps) {
  const questions = Array.isArray(data.questions) ? data.questions.filter(isRecord) : [];
  const setQuestions = (next: Record<string, unknown>[]) => onChange({ questions: next }, "questions");
  return (
    <>
      <TextField
        label="Intro message"
        testId="field-intro"
        multiline
        limit={LIMITS.text}
        value={str(data.intro)}
        onChange={(intro) => onChange({ intro }, "intro")}
      />
      <h3>Questions</h3>
      <div className="list-editor" data-testid="questions-editor">
        {questions.map((question, index) => (
          <div key={str(question.id) || index} className="list-row">
            <div className="list-row-main">
              <input
                value={str(question.id)}
                aria-label={`Question ${index + 1} id`}
                placeholder="id"
                data-testid={`field-questionnaire-id-${index}`}
                onChange={(event) =>
                  setQuestions(questions.map((q, i) => (i === index ? { ...q, id: event.target.value } : q)))
                }
              />
              <textarea
                rows={2}
                value={str(question.text)}
                aria-label={`Question ${index + 1} text`}
                data-testid={`field-questionnaire-text-${index}`}
                onChange={(event) =>
                  setQuestions(
                    questions.map((q, i) => (i === index ? { ...q, text: event.target.value } : q)),
                  )
                }
              />
              <CheckboxField
                label="Required"
                testId={`field-questionnaire-required-${index}`}
                checked={question.required !== false}
                onChange={(required) =>
                  setQuestions(questions.map((q, i) => (i === index ? { ...q, required } : q)))
                }
              />
            </div>
            <span className="row-controls">
              <button
                type="button"
                className="icon-btn"
                aria-label={`Move question ${index + 1} up`}
                disabled={index === 0}
                onClick={() => setQuestions(moveItem(questions, index, -1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-btn"
                aria-label={`Move question ${index + 1} down`}
                disabled={index === questions.length - 1}
                onClick={() => setQuestions(moveItem(questions, index, 1))}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-btn danger"
                aria-label={`Remove question ${index + 1}`}
                onClick={() => setQuestions(questions.filter((_, i) => i !== index))}
              >
                ✕
              </button>
            </span>
          </div>
        ))}
        <button
          type="button"
          className="btn small"
          data-testid="questionnaire-add"
          onClick={() =>
            setQuestions([...questions, { id: `q${questions.length + 1}`, text: "", required: true }])
          }
        >
          + Add question
        </button>
      </div>
      <TextField
        label="Skip word"
        testId="field-skip-word"
        value={str(data.skipWord)}
        onChange={(skipWord) => onChange({ skipWord }, "skipWord")}
      />
      <TextField
        label="Submit URL (optional)"
        testId="field-submit-url"
        value={str(data.submitUrl)}
        onChange={(submitUrl) =>
          onChange({ submitUrl: submitUrl === "" ? undefined : submitUrl }, "submitUrl")
        }
        placeholder="https://…"
      />
      <TextField
        label="Error message"
        testId="field-error-message"
        value={str(data.errorMessage)}
        onChange={(errorMessage) => onChange({ errorMessage }, "errorMessage")}
      />
    </>
  );
}

function TemplateForm({ data, onChange }: FormProps) {
  const nameField = str(data.template_name) && !str(data.templateName) ? "template_name" : "templateName";
  return (
    <>
      <TextField
        label="Template name"
        testId="field-template-name"
        value={str(data[nameField])}
        onChange={(value) => onChange({ [nameField]: value }, nameField)}
      />
      <TextField
        label="Language"
        testId="field-language"
        value={str(data.language)}
        onChange={(language) => onChange({ language }, "language")}
        placeholder="en_US"
      />
      <h3>Body parameters</h3>
      <StringListEditor
        label="Parameter"
        testId="param"
        items={readStrings(data.params)}
        onChange={(params) => onChange({ params }, "params")}
      />
      <h3>Quick-reply buttons</h3>
      <StringListEditor
        label="Button"
        testId="template-button"
        limit={LIMITS.buttonTitle}
        items={readStrings(data.buttons)}
        onChange={(buttons) => onChange({ buttons }, "buttons")}
      />
      <TextField
        label="Save reply to variable"
        testId="field-save-answer"
        value={str(data.saveAnswerTo)}
        onChange={(saveAnswerTo) => onChange({ saveAnswerTo }, "saveAnswerTo")}
      />
    </>
  );
}

function ActionForm({ data, onChange }: FormProps) {
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

function HttpRequestFields({ data, onChange }: FormProps) {
  const method = str(data.method) || "GET";
  const body =
    typeof data.body === "string"
      ? data.body
      : data.body === undefined
        ? ""
        : JSON.stringify(data.body, null, 2);
  return (
    <>
      <SelectField
        label="Method"
        testId="field-method"
        value={isMethod(method) ? method : "GET"}
        options={METHODS}
        onChange={(next) => onChange({ method: next }, "method")}
      />
      <TextField
        label="URL"
        testId="field-url"
        value={str(data.url)}
        onChange={(url) => onChange({ url }, "url")}
        placeholder="https://api.example.com/…"
      />
      {method !== "GET" ? (
        <TextField
          label="Body (JSON, {{variables}} allowed)"
          testId="field-http-body"
          mono
          multiline
          rows={4}
          value={body}
          onChange={(next) => onChange({ body: next === "" ? undefined : next }, "body")}
        />
      ) : null}
      <TextField
        label="Save response to variable"
        testId="field-save-response"
        value={str(data.saveResponseTo)}
        onChange={(saveResponseTo) => onChange({ saveResponseTo }, "saveResponseTo")}
      />
      <NumberField
        label="Timeout (seconds)"
        testId="field-timeout"
        min={1}
        value={num(data.timeoutSeconds)}
        onChange={(timeoutSeconds) => onChange({ timeoutSeconds }, "timeoutSeconds")}
      />
    </>
  );
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
function isMethod(value: string): value is (typeof METHODS)[number] {
  return (METHODS as readonly string[]).includes(value);
}
function isActionType(value: string): value is (typeof ACTION_TYPES)[number] {
  return (ACTION_TYPES as readonly string[]).includes(value);
}

function WaitForm({ data, onChange }: FormProps) {
  const unit = str(data.unit) || "seconds";
  return (
    <div className="two-cols">
      <NumberField
        label="Duration"
        testId="field-duration"
        min={1}
        value={num(data.duration)}
        onChange={(duration) => onChange({ duration }, "duration")}
      />
      <SelectField
        label="Unit"
        testId="field-unit"
        value={unit}
        options={["seconds", "minutes", "hours", "days"]}
        onChange={(next) => onChange({ unit: next }, "unit")}
      />
    </div>
  );
}
