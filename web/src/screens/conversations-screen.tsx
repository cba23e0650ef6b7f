/** Conversations list: one row per contact, search, paging, the 24 h window and the running flow. */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type ConversationSummary, errorMessage, type Page } from "../api.ts";
import { PageBanners } from "../components/page-banners.tsx";
import { Pager } from "../components/pager.tsx";
import { TableRows } from "../components/table-rows.tsx";
import { formatDate } from "../download.ts";
import { hrefFor, navigate } from "../router.ts";

/** The list refreshes quietly this often, so new contacts and messages show up. */
const REFRESH_MS = 5000;

export function contactLabel(conversation: {
  name: string | null;
  phone: string | null;
  external_id: string;
}): string {
  return conversation.name ?? conversation.phone ?? conversation.external_id;
}

export function WindowBadge({
  open,
  expiresAt,
  kind,
  testId,
}: {
  open: boolean;
  expiresAt: string | null;
  kind: string | null;
  testId?: string;
}) {
  const title =
    kind !== "whatsapp"
      ? "This channel has no 24 h window: free-form replies are always allowed."
      : open
        ? `Free-form replies allowed until ${formatDate(expiresAt)}`
        : "The 24 h window is closed: only an approved template may be sent.";
  return (
    <span
      className={`badge ${open ? "ok" : "warning"}`}
      title={title}
      data-testid={testId}
      data-open={open ? "true" : "false"}
    >
      {open ? "Window open" : "Window closed"}
    </span>
  );
}

export function ConversationsScreen() {
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState(1);
  const [list, setList] = useState<Page<ConversationSummary> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(search.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(timer);
  }, [search]);

  const load = useCallback(
    async (quiet = false) => {
      if (inFlight.current) return;
      inFlight.current = true;
      if (!quiet) setLoading(true);
      try {
        setList(await api.listConversations({ q: query, page }));
        setError(null);
      } catch (caught) {
        setError(errorMessage(caught));
      } finally {
        inFlight.current = false;
        setLoading(false);
      }
    },
    [query, page],
  );

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(true), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const results = list?.results ?? [];
  return (
    <section className="page" aria-labelledby="conversations-title">
      <div className="page-head">
        <h1 id="conversations-title">Conversations</h1>
        <span className="spacer" />
        <input
          type="search"
          className="search"
          placeholder="Search name, phone or id"
          aria-label="Search conversations"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          data-testid="conversations-search"
        />
        <button type="button" className="btn" onClick={() => void load()} data-testid="conversations-refresh">
          Refresh
        </button>
      </div>
      <PageBanners error={error} onRetry={() => void load()} />
      <table className="table" data-testid="conversations-table">
        <thead>
          <tr>
            <th scope="col">Contact</th>
            <th scope="col">Channel</th>
            <th scope="col">Last message</th>
            <th scope="col" className="num">
              In / out
            </th>
            <th scope="col">24 h window</th>
            <th scope="col">Active flow</th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            rows={results}
            loading={loading}
            columns={6}
            loadingText="Loading conversations…"
            emptyText={
              query
                ? `No conversation matches “${query}”.`
                : "No conversations yet. They appear when a contact writes or a flow sends a message."
            }
          >
            {(conversation) => (
              <tr
                key={conversation.contact_id}
                className="clickable"
                onClick={() => navigate({ name: "conversation", contactId: conversation.contact_id })}
                data-testid={`conversation-row-${conversation.contact_id}`}
              >
                <td>
                  <a
                    href={hrefFor({ name: "conversation", contactId: conversation.contact_id })}
                    className="strong"
                  >
                    {contactLabel(conversation)}
                  </a>
                  {conversation.phone && conversation.name ? (
                    <div className="muted small">{conversation.phone}</div>
                  ) : null}
                </td>
                <td>
                  <span className="badge">{conversation.channel_kind ?? "unknown"}</span>
                </td>
                <td className="small">{formatDate(conversation.last_message_at)}</td>
                <td className="num">
                  {conversation.inbound_count} / {conversation.outbound_count}
                </td>
                <td>
                  <WindowBadge
                    open={conversation.window_open}
                    expiresAt={conversation.window_expires_at}
                    kind={conversation.channel_kind}
                  />
                </td>
                <td>
                  {conversation.active_execution ? (
                    <span className={`badge status-${conversation.active_execution.status}`}>
                      {conversation.active_execution.status.replaceAll("_", " ")}
                    </span>
                  ) : (
                    <span className="muted small">None</span>
                  )}
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </table>
      <Pager page={page} list={list} noun={["conversation", "conversations"]} onPage={setPage} />
    </section>
  );
}
