/** The shell: checks the session, then shows the screen the hash names, with the top bar. */
import { useCallback, useEffect, useState } from "react";
import { ApiError, api, errorMessage, onUnauthorized, type User } from "./api.ts";
import { EditorScreen } from "./editor/editor-screen.tsx";
import { hrefFor, navigate, useRoute } from "./router.ts";
import { ExecutionDetailScreen } from "./screens/execution-detail-screen.tsx";
import { ExecutionsScreen } from "./screens/executions-screen.tsx";
import { FlowsScreen } from "./screens/flows-screen.tsx";
import { LoginScreen } from "./screens/login-screen.tsx";

type Session =
  | { state: "checking" }
  | { state: "anonymous" }
  | { state: "signed-in"; user: User }
  | { state: "error"; message: string };

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session>({ state: "checking" });

  const checkSession = useCallback(async () => {
    setSession({ state: "checking" });
    try {
      setSession({ state: "signed-in", user: await api.me() });
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
        </nav>
        <span className="spacer" />
        <span className="muted">{session.user.username}</span>
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
        ) : (
          <FlowsScreen />
        )}
      </main>
    </div>
  );
}
