/** Sign-in form; the session lives in an HTTP-only cookie set by the server. */
import { useState } from "react";
import { ApiError, api, errorMessage } from "../api.ts";
import { useSubmit } from "../components/use-submit.ts";

export function LoginScreen({ onSignedIn }: { onSignedIn: () => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, submit } = useSubmit(
    async () => {
      await api.login(username, password);
      onSignedIn();
    },
    (caught) =>
      caught instanceof ApiError && caught.status === 401
        ? "Wrong username or password."
        : errorMessage(caught),
  );

  return (
    <div className="center-screen">
      <form className="card login" onSubmit={(event) => void submit(event)} aria-labelledby="login-title">
        <h1 id="login-title">Parley</h1>
        <p className="muted">Sign in to build your conversation flows.</p>
        <label className="field">
          <span>Username</span>
          <input
            autoComplete="username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            required
            data-testid="login-username"
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
            data-testid="login-password"
          />
        </label>
        {error ? (
          <p className="error-text" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn primary block" disabled={busy} data-testid="login-submit">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
