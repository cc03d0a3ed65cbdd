"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, errorText } from "../api-client";
import { type Column, DataTable } from "../data-table";
import { formatDateTime } from "../quantities";
import { useToast } from "../toast";
import { type IssuedToken, roleLabels, type TokenRow, tokensKey, usersKey } from "./admin-types";
import { NewTokenForm } from "./new-token-form";
import { TokenSecret } from "./token-secret";

/** The admin's tokens: create one (its secret shown once), see them all, revoke. */
export function TokensPanel({ selfId }: { selfId: number }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: () => apiFetch<{ tokens: TokenRow[] }>("/api/admin/tokens"),
  });
  const revoke = useMutation({
    mutationFn: (token: TokenRow) =>
      apiFetch<{ token: TokenRow }>(`/api/admin/tokens/${token.id}/revoke`, { method: "POST" }),
    onSuccess: (_, token) =>
      notify({ tone: "success", title: `Token “${token.name}” revoked`, body: "It stopped working at once." }),
    onError: (error, token) =>
      notify({ tone: "error", title: `Could not revoke “${token.name}”`, body: errorText(error) }),
    onSettled: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: tokensKey });
      void queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });

  const columns: Column<TokenRow>[] = [
    { key: "name", header: "Name", cell: (t) => <span className="token-name">{t.name}</span> },
    { key: "user", header: "Acts for", cell: (t) => t.user.username },
    {
      key: "scope",
      header: "Scope",
      cell: (t) => (
        <>
          {roleLabels[t.role]}
          {t.workCenter ? ` · ${t.workCenter.code}` : ""}
          {t.readOnly ? <span className="badge badge-quiet">read only</span> : null}
        </>
      ),
    },
    {
      key: "created",
      header: "Created",
      cell: (t) => `${formatDateTime(t.createdAt)}${t.createdBy ? ` by ${t.createdBy.username}` : ""}`,
    },
    { key: "expires", header: "Expires", cell: (t) => (t.expiresAt ? formatDateTime(t.expiresAt) : "never") },
    { key: "used", header: "Last used", cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never") },
    {
      key: "status",
      header: "Status",
      cell: (t) => <span className={`status status-token-${t.status}`}>{t.status}</span>,
    },
    {
      key: "action",
      header: <span className="visually-hidden">Action</span>,
      cell: (t) =>
        t.status !== "active" ? null : confirming === t.id ? (
          <span className="confirm-inline">
            <button
              type="button"
              className="button button-danger button-small"
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(t)}
            >
              Revoke now
            </button>
            <button type="button" className="button button-quiet button-small" onClick={() => setConfirming(null)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(t.id)}>
            Revoke
          </button>
        ),
    },
  ];

  return (
    <>
      <section className="card" aria-labelledby="new-token-title">
        <div className="card-header">
          <h2 id="new-token-title">New token</h2>
          <p className="muted">
            For a tablet on the shop floor or an integration. It is shown once, then only its hash is kept.
          </p>
        </div>
        {issued ? <TokenSecret issued={issued} onDone={() => setIssued(null)} /> : null}
        <NewTokenForm selfId={selfId} onIssued={setIssued} />
      </section>
      <section className="card" aria-labelledby="tokens-title">
        <div className="card-header">
          <h2 id="tokens-title">Tokens</h2>
          <p className="muted">
            A revoked token stops working on the next request and its open connections are closed.
          </p>
        </div>
        {tokens.isPending ? (
          <p className="loading">Loading tokens…</p>
        ) : tokens.isError ? (
          <p className="alert alert-error">Could not load the tokens: {errorText(tokens.error)}</p>
        ) : (
          <DataTable
            caption="API tokens"
            hideCaption
            columns={columns}
            rows={tokens.data.tokens}
            rowKey={(t) => t.id}
            rowLabel={(t) => t.name}
            rowClassName={(t) => (t.status === "active" ? undefined : "row-released")}
            empty="No tokens yet."
          />
        )}
      </section>
    </>
  );
}
