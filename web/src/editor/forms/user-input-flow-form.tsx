/** Inspector form for a questionnaire node: an ordered list of questions asked one after another. */
import { CheckboxField, TextField } from "../../components/fields.tsx";
import { moveItem } from "../list-editors.tsx";
import { isRecord } from "../node-catalog.ts";
import { type FormProps, LIMITS, str } from "./form-props.ts";

/** The user input flow (questionnaire) node form. */
export function UserInputFlowForm({ data, onChange }: FormProps) {
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
