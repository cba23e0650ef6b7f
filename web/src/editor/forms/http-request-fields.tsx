/** The fields of an action node of type http_request: method, URL, body, response variable, timeout. */
import { SelectField, TextField } from "../../components/fields.tsx";
import { TimeoutField } from "./attempt-limits.tsx";
import { type FormProps, str } from "./form-props.ts";

/** The http_request action fields. */
export function HttpRequestFields({ data, onChange }: FormProps) {
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
      <TimeoutField data={data} onChange={onChange} />
    </>
  );
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
function isMethod(value: string): value is (typeof METHODS)[number] {
  return (METHODS as readonly string[]).includes(value);
}
