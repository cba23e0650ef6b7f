/** The shell: checks the session, then shows the screen the hash names, with the top bar. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, errorMessage, type Session as Me, onUnauthorized } from "./api.ts";
import { EditorScreen } from "./editor/editor-screen.tsx";
import { hrefFor, navigate, useRoute } from "./router.ts";
import { ConversationScreen } from "./screens/conversation-screen.tsx";
import { ConversationsScreen } from "./screens/conversations-screen.tsx";
import { ExecutionDetailScreen } from "./screens/execution-detail-screen.tsx";
import { ExecutionsScreen } from "./screens/executions-screen.tsx";
import { FlowsScreen } from "./screens/flows-screen.tsx";
import { LoginScreen } from "./screens/login-screen.tsx";
import { SettingsScreen } from "./screens/settings-screen.tsx";

type Session =
  | { state: "checking" }
  | { state: "anonymous" }
  | { state: "signed-in"; me: Me }
  | { state: "error"; message: string };

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session>({ state: "checking" });

  const checkSession = useCallback(async () => {
    setSession({ state: "checking" });
    try {
      setSession({ state: "signed-in", me: await api.session() });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403))
        setSession({ state: "anonymous" });
      else setSession({ state: "error", message: errorMessage(error) });
    }
  }, []);

  useEffect(() => {
    void checkSession();
    return onUnauthorized(() => setSession({ state: "anonymous" }));
  }, [checkSession]);

  if (session.state === "checking")
    return (
      <div className="center-screen" role="status">
        Loading…
      </div>
    );
  if (session.state === "error") {
    return (
      <div className="center-screen">
        <div className="card">
          <p className="error-text" role="alert">
            {session.message}
          </p>
          <button type="button" className="btn primary" onClick={() => void checkSession()}>
            Retry
          </button>
        </div>
      </div>
    );
  }
  if (session.state === "anonymous") {
    return (
      <LoginScreen
        onSignedIn={() => {
          if (route.name === "login") navigate({ name: "flows" });
          void checkSession();
        }}
      />
    );
  }

  const signOut = async () => {
    try {
      await api.logout();
    } finally {
      setSession({ state: "anonymous" });
    }
  };

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href={hrefFor({ name: "flows" })}>
          Parley
        </a>
        <nav className="topnav" aria-label="Main">
          <a
            href={hrefFor({ name: "flows" })}
            aria-current={route.name === "flows" || route.name === "editor" ? "page" : undefined}
          >
            Flows
          </a>
          <a
            href={hrefFor({ name: "executions" })}
            aria-current={route.name === "executions" || route.name === "execution" ? "page" : undefined}
            data-testid="nav-executions"
          >
            Executions
          </a>
          <a
            href={hrefFor({ name: "conversations" })}
            aria-current={
              route.name === "conversations" || route.name === "conversation" ? "page" : undefined
            }
            data-testid="nav-conversations"
          >
            Conversations
          </a>
          <a
            href={hrefFor({ name: "settings", tab: "channels" })}
            aria-current={route.name === "settings" ? "page" : undefined}
            data-testid="nav-settings"
          >
            Settings
          </a>
        </nav>
        <span className="spacer" />
        <Identity me={session.me} />
        <button type="button" className="btn ghost" onClick={() => void signOut()} data-testid="logout">
          Sign out
        </button>
      </header>
      <main className="main">
        {route.name === "editor" ? (
          <EditorScreen key={route.flowId} flowId={route.flowId} />
        ) : route.name === "executions" ? (
          <ExecutionsScreen />
        ) : route.name === "execution" ? (
          <ExecutionDetailScreen key={route.executionId} executionId={route.executionId} />
        ) : route.name === "conversations" ? (
          <ConversationsScreen />
        ) : route.name === "conversation" ? (
          <ConversationScreen key={route.contactId} contactId={route.contactId} />
        ) : route.name === "settings" ? (
          <SettingsScreen tab={route.tab} />
        ) : (
          <FlowsScreen />
        )}
      </main>
    </div>
  );
}

/**
 * Who is signed in, and into which organization (a session belongs to one; its name comes from
 * GET /api/auth/me, with the id as a fallback).
 */
function Identity({ me }: { me: Me }) {
  const { user, principal, organization } = me;
  const who = user?.displayName || user?.email || user?.username || principal?.clientId || "API client";
  const orgId = principal?.organizationId;
  const role = principal?.role ?? user?.role;
  return (
    <span className="identity" data-testid="identity">
      {orgId ? (
        <span className="org" title={`Organization ${orgId}`} data-testid="org-name">
          {organization?.name ?? (
            <>
              Organization <code className="org-id">{orgId.slice(0, 8)}</code>
            </>
          )}
        </span>
      ) : null}
      <span className="muted" data-testid="current-user">
        {who}
      </span>
      {role ? (
        <span className="badge role" data-testid="current-role">
          {role}
        </span>
      ) : null}
    </span>
  );
}
