/**
 * Settings → Channels: connect WhatsApp numbers, Telegram bots and web channels. Credentials are
 * write-only: the page shows "set" / "not set" and a field to replace each; never a stored value.
 */
import { useCallback, useEffect, useState } from "react";
import { api, type Channel, type ChannelKind } from "../api.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { CopyButton } from "../components/copy-button.tsx";
import { FormCard } from "../components/form-card.tsx";
import { PageBanners } from "../components/page-banners.tsx";
import { TableRows } from "../components/table-rows.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { formatDate } from "../download.ts";
import { settingsError } from "./settings-shared.ts";

interface FieldSpec {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  hint?: string;
}

const FIELDS: Record<ChannelKind, FieldSpec[]> = {
  whatsapp: [
    {
      name: "phone_number_id",
      label: "Phone number id",
      secret: false,
      required: true,
      hint: "Numeric id from Meta → WhatsApp → API setup",
    },
    { name: "business_account_id", label: "Business account id", secret: false, required: false },
    { name: "access_token", label: "Access token", secret: true, required: true },
    { name: "app_secret", label: "App secret", secret: true, required: true },
    {
      name: "verify_token",
      label: "Verify token",
      secret: true,
      required: true,
      hint: "Any string; enter the same in Meta's webhook settings",
    },
  ],
  telegram: [
    {
      name: "bot_token",
      label: "Bot token",
      secret: true,
      required: true,
      hint: "From @BotFather: 123456:ABC-…",
    },
    {
      name: "webhook_secret",
      label: "Webhook secret",
      secret: true,
      required: true,
      hint: "1–256 characters of A–Z a–z 0–9 _ -",
    },
  ],
  web: [],
};

const KIND_LABEL: Record<ChannelKind, string> = { whatsapp: "WhatsApp", telegram: "Telegram", web: "Web" };

/** The webhook URL to register; a bare path (no PARLEY_PUBLIC_URL) is shown on this page's origin. */
function absoluteWebhook(url: string): string {
  return url.startsWith("/") ? `${window.location.origin}${url}` : url;
}

export function ChannelsTab() {
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Channel | "new" | null>(null);
  const [toDelete, setToDelete] = useState<Channel | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setChannels((await api.listChannels()).results);
    } catch (caught) {
      setError(settingsError(caught));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (channel: Channel) => {
    setToDelete(null);
    setNotice(null);
    setError(null);
    try {
      await api.deleteChannel(channel.id);
      setNotice(`Deleted “${channel.name}” with its contacts and conversations.`);
      await load();
    } catch (caught) {
      setError(settingsError(caught));
    }
  };

  return (
    <div data-testid="settings-channels">
      <div className="section-head">
        <h2>Channels</h2>
        <span className="spacer" />
        <button
          type="button"
          className="btn primary"
          onClick={() => setEditing("new")}
          disabled={editing !== null}
          data-testid="channels-create"
        >
          Add channel
        </button>
      </div>
      <p className="muted small">
        Credentials are stored encrypted and never shown again; each shows as set or not set, and you can
        replace it.
      </p>
      {editing ? (
        <ChannelForm
          channel={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={async (saved, created) => {
            setEditing(null);
            setNotice(created ? `Connected “${saved.name}”.` : `Saved “${saved.name}”.`);
            await load();
          }}
        />
      ) : null}
      <PageBanners notice={notice} error={error} onRetry={() => void load()} />
      <table className="table" data-testid="channels-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Credentials</th>
            <th scope="col">Webhook URL</th>
            <th scope="col">Updated</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={channels}
            loading={channels === null && !error}
            columns={6}
            loadingText="Loading channels…"
            emptyText="No channels yet. Add a WhatsApp number or a Telegram bot."
          >
            {(channel) => (
              <tr key={channel.id} data-testid={`channel-row-${channel.id}`}>
                <td>
                  <span className="strong">{channel.name}</span>
                  {channel.external_id ? (
                    <div className="muted small">
                      <code>{channel.external_id}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  <span className="badge">{KIND_LABEL[channel.kind] ?? channel.kind}</span>
                </td>
                <td>
                  <SecretList channel={channel} />
                </td>
                <td>
                  {channel.webhook_url ? (
                    <div className="copy-row">
                      <code className="small url" data-testid={`channel-webhook-${channel.id}`}>
                        {absoluteWebhook(channel.webhook_url)}
                      </code>
                      <CopyButton
                        value={absoluteWebhook(channel.webhook_url)}
                        label={`Copy webhook URL of ${channel.name}`}
                        testId={`channel-webhook-copy-${channel.id}`}
                      />
                    </div>
                  ) : (
                    <span className="muted small">None needed</span>
                  )}
                </td>
                <td className="small">{formatDate(channel.updated_at)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn small"
                    onClick={() => setEditing(channel)}
                    disabled={editing !== null}
                    data-testid={`channel-edit-${channel.id}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="btn small danger"
                    onClick={() => setToDelete(channel)}
                    data-testid={`channel-delete-${channel.id}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
      {toDelete ? (
        <ConfirmDialog
          title="Delete channel?"
          message={`“${toDelete.name}” will be disconnected and its contacts and conversations deleted. This cannot be undone.`}
          confirmLabel="Delete"
          danger
          onConfirm={() => void remove(toDelete)}
          onCancel={() => setToDelete(null)}
        />
      ) : null}
    </div>
  );
}

function SecretList({ channel }: { channel: Channel }) {
  const names = Object.keys(channel.secrets);
  if (names.length === 0) return <span className="muted small">None</span>;
  return (
    <ul className="secret-list">
      {names.map((name) => (
        <li key={name}>
          <span className="small">{name.replaceAll("_", " ")}</span>{" "}
          <span
            className={`badge ${channel.secrets[name] ? "ok" : "warning"}`}
            data-testid={`channel-secret-${channel.id}-${name}`}
          >
            {channel.secrets[name] ? "set" : "not set"}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ChannelForm({
  channel,
  onCancel,
  onSaved,
}: {
  channel: Channel | null;
  onCancel: () => void;
  onSaved: (channel: Channel, created: boolean) => Promise<void>;
}) {
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? "whatsapp");
  const [name, setName] = useState(channel?.name ?? "");
  const [values, setValues] = useState<Record<string, string>>(() => ({
    phone_number_id: channel?.phone_number_id ?? "",
    business_account_id:
      typeof channel?.config.business_account_id === "string" ? channel.config.business_account_id : "",
  }));

  const fields = FIELDS[kind];
  const {
    busy: saving,
    error,
    submit,
  } = useSubmit(async () => {
    const body: Record<string, string> = { name: name.trim() };
    for (const field of fields) {
      const value = (values[field.name] ?? "").trim();
      // On edit, an empty secret keeps the stored one; an unchanged plain field is still sent.
      if (value !== "") body[field.name] = value;
    }
    const saved = channel
      ? await api.updateChannel(channel.id, body)
      : await api.createChannel({ kind, ...body });
    setValues({});
    await onSaved(saved, channel === null);
  }, settingsError);

  return (
    <FormCard
      title={channel ? `Edit “${channel.name}”` : "Add a channel"}
      testId="channel-form"
      error={error}
      onSubmit={submit}
      autoComplete="off"
    >
      <div className="form-grid">
        <label className="field">
          <span>Kind</span>
          <select
            value={kind}
            disabled={channel !== null}
            onChange={(event) => {
              const next = event.target.value;
              if (next === "whatsapp" || next === "telegram" || next === "web") setKind(next);
            }}
            data-testid="channel-kind"
          >
            <option value="whatsapp">WhatsApp</option>
            <option value="telegram">Telegram</option>
            <option value="web">Web</option>
          </select>
        </label>
        <label className="field">
          <span>Name</span>
          <input
            required
            value={name}
            maxLength={255}
            onChange={(event) => setName(event.target.value)}
            data-testid="channel-name"
          />
        </label>
        {fields.map((field) => {
          const isSet = channel?.secrets[field.name] === true;
          return (
            <label className="field" key={field.name}>
              <span>
                {field.label}
                {field.secret && channel ? (
                  <>
                    {" "}
                    <span className={`badge ${isSet ? "ok" : "warning"}`}>{isSet ? "set" : "not set"}</span>
                  </>
                ) : null}
              </span>
              <input
                type={field.secret ? "password" : "text"}
                autoComplete={field.secret ? "new-password" : "off"}
                required={channel === null && field.required}
                placeholder={field.secret && channel ? "Leave empty to keep the stored value" : undefined}
                value={values[field.name] ?? ""}
                onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
                data-testid={`channel-field-${field.name}`}
              />
              {field.hint ? <span className="hint">{field.hint}</span> : null}
            </label>
          );
        })}
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} data-testid="channel-cancel">
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={saving} data-testid="channel-submit">
          {saving ? "Saving…" : channel ? "Save" : "Connect"}
        </button>
      </div>
    </FormCard>
  );
}
