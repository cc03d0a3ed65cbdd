"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { auditActions } from "@/server/audit/audit-actions";
import type { AuditEntryView } from "@/server/audit/list-audit-entries";
import { apiFetch, errorText } from "../api-client";
import { type Column, DataTable } from "../data-table";
import { formatDateTime } from "../quantities";

type Entry = AuditEntryView;
type Page = { entries: Entry[]; nextBefore: string | null };
type Filters = { actor: string; action: string; from: string; to: string };

const noFilters: Filters = { actor: "", action: "", from: "", to: "" };
const actionPrefixes = [...new Set(Object.keys(auditActions).map((a) => `${a.split(".")[0]}.*`))];

function searchOf(filters: Filters, before: string | null): string {
  const params = new URLSearchParams({ limit: "50" });
  if (filters.actor.trim()) params.set("actor", filters.actor.trim());
  if (filters.action.trim()) params.set("action", filters.action.trim());
  // datetime-local inputs are in the browser's time zone; the API takes instants.
  if (filters.from) params.set("from", new Date(filters.from).toISOString());
  if (filters.to) params.set("to", new Date(filters.to).toISOString());
  if (before) params.set("before", before);
  return params.toString();
}

/** Who did what and when: logins, role and token changes, reservations, orders, machine events. */
export function AuditPanel() {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const log = useInfiniteQuery({
    queryKey: ["admin", "audit", filters],
    queryFn: ({ pageParam }) => apiFetch<Page>(`/api/admin/audit?${searchOf(filters, pageParam)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextBefore,
  });

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters(draft);
  }
  const field = (key: keyof Filters) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
  });

  const columns: Column<Entry>[] = [
    { key: "at", header: "When", cell: (e) => formatDateTime(e.at) },
    { key: "actor", header: "Who", cell: (e) => e.actor?.username ?? <span className="muted">system</span> },
    {
      key: "action",
      header: "What",
      cell: (e) => (
        <span className="audit-action">
          {e.label ?? e.action} <code>{e.action}</code>
        </span>
      ),
    },
    {
      key: "target",
      header: "About",
      cell: (e) => (e.targetType ? <code>{`${e.targetType} ${e.targetId ?? ""}`}</code> : "—"),
    },
    {
      key: "detail",
      header: "Details",
      // Rendered as text by React, whatever it holds.
      cell: (e) => <code className="audit-detail">{JSON.stringify(e.detail)}</code>,
    },
  ];

  const entries = log.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <>
      <section className="card" aria-labelledby="audit-filters-title">
        <h2 id="audit-filters-title" className="visually-hidden">
          Filters
        </h2>
        <form className="audit-filters" aria-label="Audit filters" onSubmit={apply}>
          <label className="field">
            <span className="field-label">Who (username, or “system”)</span>
            <input name="actor" autoComplete="off" maxLength={64} {...field("actor")} />
          </label>
          <label className="field">
            <span className="field-label">Action</span>
            <input name="action" list="audit-actions" autoComplete="off" placeholder="auth.*" {...field("action")} />
            <datalist id="audit-actions">
              {actionPrefixes.map((prefix) => (
                <option key={prefix} value={prefix} />
              ))}
              {Object.entries(auditActions).map(([action, label]) => (
                <option key={action} value={action}>
                  {label}
                </option>
              ))}
            </datalist>
          </label>
          <label className="field">
            <span className="field-label">From</span>
            <input name="from" type="datetime-local" {...field("from")} />
          </label>
          <label className="field">
            <span className="field-label">To</span>
            <input name="to" type="datetime-local" {...field("to")} />
          </label>
          <div className="toolbar">
            <button type="submit" className="button button-primary">
              Show
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setDraft(noFilters);
                setFilters(noFilters);
              }}
            >
              Clear
            </button>
          </div>
        </form>
      </section>
      <section className="card" aria-labelledby="audit-title">
        <div className="card-header">
          <h2 id="audit-title">Entries, newest first</h2>
        </div>
        {log.isPending ? (
          <p className="loading">Loading the audit log…</p>
        ) : log.isError ? (
          <p className="alert alert-error">Could not load the audit log: {errorText(log.error)}</p>
        ) : (
          <>
            <DataTable
              caption="Audit log"
              hideCaption
              columns={columns}
              rows={entries}
              rowKey={(e) => e.id}
              rowLabel={(e) => e.action}
              empty="Nothing matches these filters."
            />
            {log.hasNextPage ? (
              <div className="toolbar">
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={log.isFetchingNextPage}
                  onClick={() => log.fetchNextPage()}
                >
                  {log.isFetchingNextPage ? "Loading…" : "Older entries"}
                </button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </>
  );
}
