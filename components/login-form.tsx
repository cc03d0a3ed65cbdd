"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ApiError, apiFetch, errorText } from "./api-client";

type Props = { nextPath?: string };

export function LoginForm({ nextPath }: Props) {
  const router = useRouter();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await apiFetch("/api/auth/login", { method: "POST", json: { username: username.trim(), password } });
      // The server picks the destination: the page asked for, if this role may
      // open it, else the role's home (app/page.tsx).
      router.replace(nextPath ? `/?next=${encodeURIComponent(nextPath)}` : "/");
      router.refresh();
    } catch (caught) {
      setPending(false);
      setPassword("");
      setError(loginErrorText(caught));
    }
  }

  return (
    <form
      className="stack"
      aria-label="Log in"
      onSubmit={onSubmit}
      aria-describedby={error ? "login-error" : undefined}
    >
      {error ? (
        <p id="login-error" className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      <label className="field">
        <span className="field-label">Username</span>
        <input
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="button button-primary button-block" disabled={pending} aria-busy={pending}>
        {pending ? "Logging in…" : "Log in"}
      </button>
    </form>
  );
}

function loginErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    // The API's own words: "Wrong username or password.", "Too many failed logins. Try again in 15 minute(s)."
    if (error.status === 400) return "Enter your username and password.";
    return error.message;
  }
  return errorText(error);
}
