/** Settings → Templates: the WhatsApp templates flows and agents may send once the 24 h window closed. */
import { useCallback, useEffect, useState } from "react";
import { api, type Template, type TemplateInput } from "../api.ts";
import { FormCard } from "../components/form-card.tsx";
import { PageBanners } from "../components/page-banners.tsx";
import { TableRows } from "../components/table-rows.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { formatDate } from "../download.ts";
import { settingsError } from "./settings-shared.ts";

const CATEGORIES: TemplateInput["category"][] = ["UTILITY", "MARKETING", "AUTHENTICATION"];
const STATUSES = ["APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED"];

function bodyOf(template: Template): string {
  for (const component of template.components) {
    if (typeof component === "object" && component !== null && Reflect.get(component, "type") === "BODY")
      return String(Reflect.get(component, "text") ?? "");
  }
  return "";
}

export function TemplatesTab() {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setTemplates((await api.listTemplates()).results);
    } catch (caught) {
      setError(settingsError(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div data-testid="settings-templates">
      <div className="section-head">
        <h2>Templates</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          onClick={() => setAdding(true)}
          disabled={adding}
          data-testid="templates-create"
        >
          Add template
        </button>
      </div>
      <p className="muted small">
        Record the templates approved in Meta's WhatsApp Manager with the same name and language; write
        parameters as <code>{"{{1}}"}</code>, <code>{"{{2}}"}</code>…
      </p>
      {adding ? (
        <TemplateForm
          onCancel={() => setAdding(false)}
          onSaved={async (template) => {
            setAdding(false);
            setNotice(`Added “${template.name}” (${template.language}).`);
            await load();
          }}
        />
      ) : null}
      <PageBanners notice={notice} error={error} onRetry={() => void load()} />
      <table className="table" data-testid="templates-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Language</th>
            <th scope="col">Category</th>
            <th scope="col">Status</th>
            <th scope="col">Body</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={templates}
            loading={templates === null && !error}
            columns={6}
            loadingText="Loading templates…"
            emptyText="No templates yet."
          >
            {(template) => (
              <tr key={template.id} data-testid={`template-row-${template.id}`}>
                <td>
                  <code>{template.name}</code>
                </td>
                <td>{template.language}</td>
                <td className="small">{template.category}</td>
                <td>
                  <span
                    className={`badge ${template.status === "APPROVED" ? "ok" : template.status === "PENDING" ? "warning" : "error"}`}
                  >
                    {template.status.toLowerCase()}
                  </span>
                </td>
                <td className="small template-body">{bodyOf(template) || "—"}</td>
                <td className="small">{formatDate(template.updated_at)}</td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
    </div>
  );
}

function TemplateForm({
  onCancel,
  onSaved,
}: {
  onCancel: () => void;
  onSaved: (template: Template) => Promise<void>;
}) {
  const [name, setName] = useState("");
  const [language, setLanguage] = useState("en_US");
  const [category, setCategory] = useState<TemplateInput["category"]>("UTILITY");
  const [status, setStatus] = useState("APPROVED");
  const [body, setBody] = useState("");

  const {
    busy: saving,
    error,
    submit,
  } = useSubmit(async () => {
    const template = await api.createTemplate({
      name: name.trim(),
      language: language.trim(),
      category,
      status,
      components: body.trim() ? [{ type: "BODY", text: body.trim() }] : [],
    });
    await onSaved(template);
  }, settingsError);

  return (
    <FormCard title="Add a template" testId="template-form" error={error} onSubmit={submit}>
      <div className="form-grid">
        <label className="field">
          <span>Name</span>
          <input
            required
            pattern="[a-z0-9_]+"
            title="Lower-case letters, digits and underscores"
            placeholder="order_update"
            value={name}
            onChange={(event) => setName(event.target.value)}
            data-testid="template-name"
          />
        </label>
        <label className="field">
          <span>Language</span>
          <input
            required
            placeholder="en_US"
            value={language}
            onChange={(event) => setLanguage(event.target.value)}
            data-testid="template-language"
          />
        </label>
        <label className="field">
          <span>Category</span>
          <select
            value={category}
            onChange={(event) => {
              const next = CATEGORIES.find((value) => value === event.target.value);
              if (next) setCategory(next);
            }}
            data-testid="template-category"
          >
            {CATEGORIES.map((value) => (
              <option key={value} value={value}>
                {value.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Status in Meta</span>
          <select
            value={status}
            onChange={(event) => setStatus(event.target.value)}
            data-testid="template-status"
          >
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="field wide">
          <span>Body</span>
          <textarea
            rows={3}
            placeholder="Your order {{1}} is {{2}}."
            value={body}
            onChange={(event) => setBody(event.target.value)}
            data-testid="template-body"
          />
        </label>
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={saving} data-testid="template-submit">
          {saving ? "Saving…" : "Add template"}
        </button>
      </div>
    </FormCard>
  );
}
