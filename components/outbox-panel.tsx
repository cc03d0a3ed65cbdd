"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { OutboxThroughputChart } from "./outbox-throughput-chart";
import { formatDateTime } from "./quantities";
import { useToast } from "./toast";

type DeadLetter = {
  id: string;
  eventType: string;
  aggregate: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deadLetteredAt: string;
};

type OutboxStats = {
  pending: number;
  retrying: number;
  oldestPendingSeconds: number;
  deliveredLastMinute: number;
  deadLettered: number;
  perMinute: { minute: string; delivered: number }[];
  deadLetters: DeadLetter[];
};

const statsKey = ["admin", "outbox"] as const;

function formatAge(seconds: number): string {
  if (seconds < 1) return "none";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The admin's view of the outbox: backlog, lag, throughput, and the dead letters with a re-queue button. */
export function OutboxPanel() {
  const queryClient = useQueryClient();
  const notify = useToast();
  // An operations view: refreshed every few seconds while it is open.
  const stats = useQuery({
    queryKey: statsKey,
    queryFn: () => apiFetch<OutboxStats>("/api/admin/outbox"),
    refetchInterval: 3000,
  });
  const requeue = useMutation({
    mutationFn: (letter: DeadLetter) =>
      apiFetch<{ id: string }>(`/api/admin/outbox/${letter.id}/requeue`, { method: "POST" }),
    onSuccess: (_, letter) =>
      notify({
        tone: "success",
        title: `Message ${letter.id} re-queued`,
        body: "The worker will deliver it again now.",
      }),
    onError: (error, letter) =>
      notify({ tone: "error", title: `Could not re-queue message ${letter.id}`, body: errorText(error) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: statsKey }),
  });

  if (stats.isPending) return <p className="muted">Loading the outbox…</p>;
  if (stats.isError) return <p className="alert alert-error">Could not load the outbox: {errorText(stats.error)}</p>;
  const s = stats.data;

  const columns: Column<DeadLetter>[] = [
    { key: "id", header: "Message", cell: (d) => <code>{d.id}</code> },
    { key: "type", header: "Type", cell: (d) => d.eventType },
    { key: "aggregate", header: "About", cell: (d) => <code>{d.aggregate}</code> },
    { key: "attempts", header: "Attempts", numeric: true, cell: (d) => d.attempts },
    { key: "error", header: "Last error", cell: (d) => <span className="error-text">{d.lastError ?? "—"}</span> },
    { key: "when", header: "Dead since", cell: (d) => formatDateTime(d.deadLetteredAt) },
    {
      key: "action",
      header: <span className="visually-hidden">Action</span>,
      cell: (d) => (
        <button
          type="button"
          className="button button-secondary"
          disabled={requeue.isPending}
          onClick={() => requeue.mutate(d)}
        >
          Re-queue
        </button>
      ),
    },
  ];

  return (
    <>
      <section className="card" aria-label="Outbox figures">
        <dl className="figures">
          <div>
            <dt>Waiting</dt>
            <dd data-figure="pending">{s.pending}</dd>
          </div>
          <div>
            <dt>Being retried</dt>
            <dd data-figure="retrying">{s.retrying}</dd>
          </div>
          <div>
            <dt>Oldest waiting (lag)</dt>
            <dd data-figure="lag">{formatAge(s.oldestPendingSeconds)}</dd>
          </div>
          <div>
            <dt>Delivered, last minute</dt>
            <dd data-figure="per-minute">{s.deliveredLastMinute}</dd>
          </div>
          <div>
            <dt>Dead letters</dt>
            <dd data-figure="dead" className={s.deadLettered > 0 ? "figure-bad" : undefined}>
              {s.deadLettered}
            </dd>
          </div>
        </dl>
        <OutboxThroughputChart perMinute={s.perMinute} />
      </section>
      <section className="card">
        <div className="card-header">
          <h2>Dead letters</h2>
          <p className="muted">Messages that ran out of attempts. Re-queue one once its cause is fixed.</p>
        </div>
        <DataTable
          caption="Dead-lettered outbox messages"
          hideCaption
          columns={columns}
          rows={s.deadLetters}
          rowKey={(d) => d.id}
          rowLabel={(d) => d.id}
          empty="No dead letters."
        />
      </section>
    </>
  );
}
