/**
 * One conversation: the transcript (oldest first, delivery ticks on what was sent), a reply box while
 * the 24 h window is open, a template picker once it closed, and "Hand back to bot" while the flow
 * waits on a handoff. Polls every 2 s.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import {
  ApiError,
  api,
  type ConversationDetail,
  errorMessage,
  type Template,
  type TranscriptEntry,
} from "../api.ts";
import { formatDate } from "../download.ts";
import { hrefFor } from "../router.ts";
import { contactLabel, WindowBadge } from "./conversations-screen.tsx";

const POLL_MS = 2000;

export function ConversationScreen({ contactId }: { contactId: string }) {
  const [conversation, setConversation] = useState<ConversationDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [handoff, setHandoff] = useState(false);
  const inFlight = useRef(false);

  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      setConversation(await api.getConversation(contactId));
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      inFlight.current = false;
    }
  }, [contactId]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  // The conversation does not say why its flow waits: the execution's last "waiting" log does.
  const execution = conversation?.active_execution ?? null;
  const executionKey = execution ? `${execution.id}:${execution.status}` : "";
  // biome-ignore lint/correctness/useExhaustiveDependencies: executionKey captures the execution
  useEffect(() => {
    if (execution?.status !== "waiting_for_input") {
      setHandoff(false);
      return;
    }
    let cancelled = false;
    api.getExecution(execution.id).then(
      (detail) => {
        if (!cancelled) setHandoff(waitsForHandoff(detail));
      },
      () => {
        if (!cancelled) setHandoff(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [executionKey]);

  if (!conversation) {
    return (
      <section className="page" aria-labelledby="conversation-title">
        <p>
          <a href={hrefFor({ name: "conversations" })}>← Conversations</a>
        </p>
        <h1 id="conversation-title">Conversation</h1>
        {error ? (
          <div className="banner error" role="alert" data-testid="conversation-error">
            {error}{" "}
            <button type="button" className="btn small" onClick={() => void load()}>
              Retry
            </button>
          </div>
        ) : (
          <p className="muted" role="status">
            Loading conversation…
          </p>
        )}
      </section>
    );
  }

  return (
    <section className="conversation" aria-labelledby="conversation-title" data-testid="conversation-detail">
      <header className="conversation-head">
        <a href={hrefFor({ name: "conversations" })} className="small">
          ← Conversations
        </a>
        <div className="conversation-who">
          <h1 id="conversation-title">{contactLabel(conversation)}</h1>
          <span className="muted small">
            {conversation.channel_kind ?? "unknown channel"} · <code>{conversation.external_id}</code>
            {conversation.phone && conversation.phone !== conversation.external_id
              ? ` · ${conversation.phone}`
              : ""}
          </span>
        </div>
        <span className="spacer" />
        <WindowBadge
          open={conversation.window_open}
          expiresAt={conversation.window_expires_at}
          kind={conversation.channel_kind}
          testId="conversation-window"
        />
        {execution ? <span className="muted small">Flow:</span> : null}
        {execution ? (
          <a
            href={hrefFor({ name: "execution", executionId: execution.id })}
            className={`badge status-${execution.status}`}
            data-testid="conversation-execution"
            title="Open the active execution"
          >
            {execution.status.replaceAll("_", " ")}
          </a>
        ) : (
          <span className="muted small">No active flow</span>
        )}
        {handoff ? <HandbackButton contactId={contactId} onDone={load} /> : null}
      </header>
      {error ? (
        <div className="banner error" role="alert">
          Could not refresh: {error}
        </div>
      ) : null}
      <Transcript messages={conversation.messages} />
      {conversation.window_open ? (
        <ReplyBox contactId={contactId} onSent={load} />
      ) : (
        <TemplatePicker contactId={contactId} onSent={load} />
      )}
    </section>
  );
}

/** True when the execution's newest wait is a handoff on the node it still waits on. */
function waitsForHandoff(detail: Awaited<ReturnType<typeof api.getExecution>>): boolean {
  const waits = detail.logs.filter((log) => log.action === "waiting");
  const last = waits[waits.length - 1];
  if (!last) return false;
  const output = last.output_data;
  const reason =
    typeof output === "object" && output !== null && "reason" in output
      ? Reflect.get(output, "reason")
      : null;
  return reason === "handoff" && (detail.waiting_handle == null || detail.waiting_handle === last.node_id);
}

function HandbackButton({ contactId, onDone }: { contactId: string; onDone: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const handBack = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.handback(contactId);
      await onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn primary"
        disabled={busy}
        onClick={() => void handBack()}
        data-testid="handback"
      >
        {busy ? "Handing back…" : "Hand back to bot"}
      </button>
      {error ? (
        <span className="error-text small" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

const STATUS_TEXT: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
};

function Ticks({ entry }: { entry: TranscriptEntry }) {
  const label = STATUS_TEXT[entry.status] ?? entry.status;
  const symbol =
    entry.status === "failed"
      ? "✕"
      : entry.status === "delivered" || entry.status === "read"
        ? "✓✓"
        : entry.status === "sent"
          ? "✓"
          : "🕓";
  const title =
    entry.status === "failed"
      ? `Failed${entry.error_code ? `: ${entry.error_code}` : ""}${entry.error_message ? ` — ${entry.error_message}` : ""}`
      : label;
  return (
    <span
      className={`ticks tick-${entry.status}`}
      title={title}
      data-testid={`message-status-${entry.id}`}
      data-status={entry.status}
    >
      <span aria-hidden="true">{symbol}</span>
      <span className="sr-only">{label}</span>
      {entry.status === "failed" ? <span className="tick-error">{entry.error_code ?? "error"}</span> : null}
    </span>
  );
}

function describeEntry(entry: TranscriptEntry): string {
  if (entry.text) return entry.text;
  if (entry.media) return `[${String(entry.media.mediaType ?? entry.media.type ?? "media")}]`;
  return `[${entry.kind}]`;
}

function Transcript({ messages }: { messages: TranscriptEntry[] }) {
  const bottom = useRef<HTMLDivElement>(null);
  const lastId = messages[messages.length - 1]?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when a new message arrives
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [lastId]);
  return (
    <section className="chat transcript" data-testid="conversation-transcript" aria-label="Transcript">
      {messages.length === 0 ? <p className="muted">No messages yet.</p> : null}
      {messages.map((entry) => (
        <div
          key={entry.id}
          className={`bubble ${entry.direction === "inbound" ? "inbound" : "outbound"}${entry.status === "failed" ? " failed" : ""}`}
          data-testid={`message-${entry.id}`}
          data-direction={entry.direction}
        >
          <div className="bubble-text">{describeEntry(entry)}</div>
          {entry.direction === "outbound" && entry.message && Array.isArray(entry.message.buttons) ? (
            <div className="muted small">
              Buttons:{" "}
              {entry.message.buttons
                .map((button: unknown) =>
                  typeof button === "object" && button !== null ? String(Reflect.get(button, "title")) : "",
                )
                .join(" · ")}
            </div>
          ) : null}
          {entry.status === "failed" && entry.error_message ? (
            <div className="error-text small">{entry.error_message}</div>
          ) : null}
          <div className="bubble-meta">
            <time dateTime={entry.at}>{formatDate(entry.at)}</time>
            {entry.direction === "outbound" ? <Ticks entry={entry} /> : null}
          </div>
        </div>
      ))}
      <div ref={bottom} />
    </section>
  );
}

function replyError(caught: unknown): string {
  if (caught instanceof ApiError && caught.code === "WA_TEMPLATE_REQUIRED")
    return "The 24 h window has closed: WhatsApp only accepts an approved template now. Pick one below.";
  return errorMessage(caught);
}

function ReplyBox({ contactId, onSent }: { contactId: string; onSent: () => Promise<void> }) {
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    setSending(true);
    setError(null);
    try {
      await api.reply(contactId, { text: value });
      setText("");
      await onSent();
    } catch (caught) {
      setError(replyError(caught));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="reply-box" onSubmit={(event) => void send(event)} aria-label="Reply">
      {error ? (
        <div className="banner error" role="alert" data-testid="reply-error">
          {error}
        </div>
      ) : null}
      <div className="chat-input">
        <textarea
          rows={2}
          value={text}
          placeholder="Type a reply (Enter sends, Shift+Enter adds a line)"
          aria-label="Reply text"
          maxLength={4096}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey) {
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }
          }}
          data-testid="reply-input"
        />
        <button
          type="submit"
          className="btn primary"
          disabled={sending || text.trim() === ""}
          data-testid="reply-send"
        >
          {sending ? "Sending…" : "Send"}
        </button>
      </div>
    </form>
  );
}

/** How many {{n}} placeholders a template's body has. */
function countParams(template: Template): number {
  let highest = 0;
  for (const component of template.components) {
    if (typeof component !== "object" || component === null) continue;
    const text = Reflect.get(component, "text");
    if (typeof text !== "string") continue;
    for (const match of text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

function bodyText(template: Template): string {
  for (const component of template.components) {
    if (typeof component !== "object" || component === null) continue;
    if (Reflect.get(component, "type") === "BODY") return String(Reflect.get(component, "text") ?? "");
  }
  return "";
}

function TemplatePicker({ contactId, onSent }: { contactId: string; onSent: () => Promise<void> }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState("");
  const [params, setParams] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadTemplates = useCallback(async () => {
    setLoadError(null);
    try {
      const body = await api.listTemplates();
      setTemplates(body.results.filter((template) => template.status === "APPROVED"));
    } catch (caught) {
      setLoadError(errorMessage(caught));
    }
  }, []);

  useEffect(() => {
    void loadTemplates();
  }, [loadTemplates]);

  const selected = templates?.find((template) => template.id === selectedId) ?? null;
  const paramCount = selected ? countParams(selected) : 0;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!selected) return;
    setSending(true);
    setError(null);
    setNotice(null);
    try {
      await api.reply(contactId, {
        template: {
          name: selected.name,
          language: selected.language,
          params: params.slice(0, paramCount).map((value) => value.trim()),
        },
      });
      setNotice(`Template “${selected.name}” queued.`);
      await onSent();
    } catch (caught) {
      setError(replyError(caught));
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="reply-box template-picker"
      onSubmit={(event) => void send(event)}
      aria-label="Send a template"
      data-testid="template-picker"
    >
      <div className="banner warning" role="note">
        The 24 h window is closed: WhatsApp only delivers an approved template until the contact writes again.
      </div>
      {loadError ? (
        <div className="banner error" role="alert">
          {loadError}{" "}
          <button type="button" className="btn small" onClick={() => void loadTemplates()}>
            Retry
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="banner error" role="alert" data-testid="reply-error">
          {error}
        </div>
      ) : null}
      {notice ? (
        <div className="banner info" role="status">
          {notice}
        </div>
      ) : null}
      <div className="template-row">
        <label className="inline-label">
          Template
          <select
            value={selectedId}
            onChange={(event) => {
              setSelectedId(event.target.value);
              setParams([]);
            }}
            disabled={templates === null}
            data-testid="template-select"
          >
            <option value="">
              {templates === null
                ? "Loading templates…"
                : templates.length === 0
                  ? "No approved templates (add one in Settings → Templates)"
                  : "Choose a template"}
            </option>
            {(templates ?? []).map((template) => (
              <option key={template.id} value={template.id}>
                {template.name} ({template.language})
              </option>
            ))}
          </select>
        </label>
        {Array.from({ length: paramCount }, (_, index) => (
          <input
            // biome-ignore lint/suspicious/noArrayIndexKey: parameters are positional
            key={index}
            className="template-param"
            placeholder={`{{${index + 1}}}`}
            aria-label={`Parameter ${index + 1}`}
            value={params[index] ?? ""}
            onChange={(event) => {
              const next = [...params];
              next[index] = event.target.value;
              setParams(next);
            }}
            data-testid={`template-param-${index}`}
          />
        ))}
        <button
          type="submit"
          className="btn primary"
          disabled={!selected || sending}
          data-testid="template-send"
        >
          {sending ? "Sending…" : "Send template"}
        </button>
      </div>
      {selected ? (
        <p className="muted small template-preview" data-testid="template-preview">
          Preview:{" "}
          {bodyText(selected).replace(
            /\{\{\s*(\d+)\s*\}\}/g,
            (placeholder, index: string) => params[Number(index) - 1]?.trim() || placeholder,
          ) || "(no body text)"}
        </p>
      ) : null}
    </form>
  );
}
