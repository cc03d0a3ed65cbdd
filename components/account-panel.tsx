"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { formatDateTime } from "./quantities";

type SessionRow = { createdAt: string; lastSeenAt: string; endsAt: string; userAgent: string | null; current: boolean };

/** Where this person is logged in, and "log out everywhere". */
export function AccountPanel() {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const sessions = useQuery({
    queryKey: ["account", "sessions"],
    queryFn: () => apiFetch<{ sessions: SessionRow[] }>("/api/auth/sessions"),
  });
  const everywhere = useMutation({
    mutationFn: () => apiFetch<{ ended: number }>("/api/auth/logout-everywhere", { method: "POST" }),
    onSuccess: () => {
      queryClient.clear();
      window.location.assign("/login");
    },
  });

  const columns: Column<SessionRow>[] = [
    {
      key: "browser",
      header: "Browser",
      cell: (s) => (
        <>
          {s.userAgent ?? "unknown"}
          {s.current ? <span className="badge badge-quiet">this browser</span> : null}
        </>
      ),
    },
    { key: "since", header: "Logged in", cell: (s) => formatDateTime(s.createdAt) },
    { key: "seen", header: "Last request", cell: (s) => formatDateTime(s.lastSeenAt) },
    { key: "ends", header: "Ends", cell: (s) => formatDateTime(s.endsAt) },
  ];

  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="card-header">
        <h2 id="sessions-title">Where you are logged in</h2>
        <p className="muted">
          A session ends after a while without use, and at the latest some hours after logging in. Lost a laptop? Log
          out everywhere.
        </p>
      </div>
      {sessions.isPending ? (
        <p className="loading">Loading your sessions…</p>
      ) : sessions.isError ? (
        <p className="alert alert-error">Could not load your sessions: {errorText(sessions.error)}</p>
      ) : (
        <DataTable
          caption="Your sessions"
          hideCaption
          columns={columns}
          rows={sessions.data.sessions}
          rowKey={(s) => s.createdAt + (s.userAgent ?? "")}
          empty="No browser sessions (you are using a token)."
        />
      )}
      {everywhere.isError ? <p className="alert alert-error">{errorText(everywhere.error)}</p> : null}
      <div className="toolbar">
        {confirming ? (
          <span className="confirm-inline">
            End every session, this one included?
            <button
              type="button"
              className="button button-danger"
              disabled={everywhere.isPending}
              onClick={() => everywhere.mutate()}
            >
              {everywhere.isPending ? "Logging out…" : "Log out everywhere"}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
            Log out everywhere…
          </button>
        )}
      </div>
    </section>
  );
}
