/**
 * The test chat: starts a simulator session on the saved draft, polls its messages every 500 ms,
 * draws the bot's buttons and list rows as clickable choices and reports the execution for the canvas.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage, type SimulatorMessage, type SimulatorPoll } from "../api.ts";

type ChatItem =
  | { kind: "bot"; id: string; message: SimulatorMessage }
  | { kind: "user"; id: string; text: string };
type Execution = SimulatorPoll["execution"];

const POLL_MS = 500;

interface SimulatorPanelProps {
  flowId: string;
  /** Saves pending edits first, so the session runs what the author sees; false aborts. */
  prepare: () => Promise<boolean>;
  onExecution: (execution: Execution) => void;
}

export function SimulatorPanel({ flowId, prepare, onExecution }: SimulatorPanelProps) {
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [items, setItems] = useState<ChatItem[]>([]);
  const [execution, setExecution] = useState<Execution>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lastId = useRef<string | undefined>(undefined);
  const inFlight = useRef(false);
  const chatEnd = useRef<HTMLDivElement>(null);

  const start = useCallback(async () => {
    setBusy(true);
    setError(null);
    setItems([]);
    setExecution(null);
    onExecution(null);
    lastId.current = undefined;
    try {
      if (!(await prepare())) throw new Error("Save the flow before testing it.");
      const session = await api.startSimulator(flowId);
      setSessionId(session.session_id);
    } catch (caught) {
      setSessionId(null);
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }, [flowId, prepare, onExecution]);

  useEffect(() => {
    if (!sessionId) return;
    const poll = async () => {
      if (inFlight.current) return;
      inFlight.current = true;
      try {
        const body = await api.pollSimulator(sessionId, lastId.current);
        const fresh = body.messages;
        const newest = fresh.at(-1);
        if (newest) {
          lastId.current = newest.id;
          setItems((old) => [
            ...old,
            ...fresh.map((message): ChatItem => ({ kind: "bot", id: message.id, message })),
          ]);
        }
        setExecution(body.execution);
        onExecution(body.execution);
        setError(null);
      } catch (caught) {
        setError(errorMessage(caught));
      } finally {
        inFlight.current = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => clearInterval(timer);
  }, [sessionId, onExecution]);

  useEffect(() => {
    if (items.length > 0) chatEnd.current?.scrollIntoView?.({ block: "end" });
  }, [items]);

  useEffect(() => () => onExecution(null), [onExecution]);

  const send = async (input: { text?: string; option_id?: string }, echo: string) => {
    if (!sessionId) return;
    setItems((old) => [...old, { kind: "user", id: `local-${Date.now()}-${old.length}`, text: echo }]);
    try {
      await api.sendSimulator(sessionId, input);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    if (value === "") return;
    setText("");
    void send({ text: value }, value);
  };

  return (
    <div className="simulator" data-testid="simulator">
      <div className="simulator-head">
        <span className="muted small">
          {sessionId ? `Session ${sessionId.slice(0, 8)} · ${execution?.status ?? "waiting"}` : "Not started"}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small primary"
          onClick={() => void start()}
          disabled={busy}
          data-testid="simulator-restart"
        >
          {sessionId ? "Restart" : "Start test"}
        </button>
      </div>
      {error ? (
        <div className="banner error small" role="alert">
          {error}
        </div>
      ) : null}
      <div className="chat" aria-live="polite" data-testid="simulator-chat">
        {items.length === 0 ? (
          <p className="muted small pad">
            {sessionId
              ? "Send a trigger keyword to start the flow."
              : "Start a test session to chat with this flow."}
          </p>
        ) : null}
        {items.map((item) =>
          item.kind === "user" ? (
            <div key={item.id} className="bubble user">
              {item.text}
            </div>
          ) : (
            <BotBubble
              key={item.id}
              message={item.message}
              onChoose={(id, title) => void send({ option_id: id }, title)}
            />
          ),
        )}
        <div ref={chatEnd} />
      </div>
      <form className="chat-input" onSubmit={submit}>
        <input
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={sessionId ? "Type a message" : "Start a session first"}
          aria-label="Message"
          disabled={!sessionId}
          data-testid="simulator-input"
        />
        <button
          type="submit"
          className="btn primary"
          disabled={!sessionId || text.trim() === ""}
          data-testid="simulator-send"
        >
          Send
        </button>
      </form>
      <details className="variables" open>
        <summary>Variables</summary>
        {execution && Object.keys(execution.variables).length > 0 ? (
          <dl data-testid="simulator-variables">
            {Object.entries(execution.variables).map(([name, value]) => (
              <div key={name} className="variable">
                <dt>{name}</dt>
                <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted small">No variables yet.</p>
        )}
      </details>
    </div>
  );
}

function BotBubble({
  message,
  onChoose,
}: {
  message: SimulatorMessage;
  onChoose: (id: string, title: string) => void;
}) {
  const { rendered } = message;
  return (
    <div className="bubble bot" data-testid="simulator-bot-message" data-message-type={rendered.type}>
      {rendered.header ? <div className="strong">{rendered.header}</div> : null}
      {rendered.media ? <MediaPreview media={rendered.media} /> : null}
      {rendered.text ? <div className="bubble-text">{rendered.text}</div> : null}
      {rendered.footer ? <div className="muted small">{rendered.footer}</div> : null}
      {rendered.buttons.length > 0 ? (
        <div className="bubble-buttons">
          {rendered.buttons.map((button) => (
            <button
              key={button.id}
              type="button"
              className="chat-choice"
              onClick={() => onChoose(button.id, button.title)}
              data-testid={`simulator-button-${button.id}`}
            >
              {button.title}
            </button>
          ))}
        </div>
      ) : null}
      {rendered.list ? (
        <div className="bubble-list">
          <div className="muted small">
            ☰ {rendered.list.buttonText}
            {rendered.list.pageCount > 1
              ? ` · page ${rendered.list.page + 1}/${rendered.list.pageCount}`
              : ""}
          </div>
          {rendered.list.rows.map((row) => (
            <button
              key={row.id}
              type="button"
              className="chat-choice row"
              onClick={() => onChoose(row.id, row.title)}
              data-testid={`simulator-row-${row.id}`}
            >
              <span>{row.title}</span>
              {row.description ? <span className="muted small">{row.description}</span> : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function MediaPreview({ media }: { media: { mediaType: string; url: string; filename?: string } }) {
  if (media.mediaType === "image" || media.mediaType === "sticker")
    return <img src={media.url} alt="" className="bubble-media" />;
  return (
    <a href={media.url} target="_blank" rel="noreferrer">
      {media.mediaType}: {media.filename ?? media.url}
    </a>
  );
}
