"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { queryKeys, type ReservationView, useReservations } from "./inventory-queries";
import { formatDateTime, formatQty } from "./quantities";
import { useToast } from "./toast";

const statusOrder: Record<ReservationView["status"], number> = { active: 0, consumed: 1, released: 2 };

/** Recent reservations, active ones first, each active one with a Release action. */
export function ReservationsPanel() {
  const reservations = useReservations();
  const queryClient = useQueryClient();
  const notify = useToast();
  const [confirming, setConfirming] = useState<string | null>(null);

  const release = useMutation({
    mutationFn: (reservation: ReservationView) =>
      apiFetch<{ id: string; status: "released" }>(`/api/reservations/${reservation.id}/release`, { method: "POST" }),
    onSuccess: (_, reservation) =>
      notify({
        tone: "success",
        title: `Released order ${reservation.orderRef}`,
        body: "Its quantities are available again.",
      }),
    onError: (error, reservation) =>
      notify({ tone: "error", title: `Could not release order ${reservation.orderRef}`, body: errorText(error) }),
    // Refetch in both cases: a 409 means someone else already changed it.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.inventory }),
        queryClient.invalidateQueries({ queryKey: queryKeys.reservations }),
      ]).then(() => setConfirming(null)),
  });

  // Stable sort: the server's newest-first order is kept within each status.
  const rows = [...(reservations.data ?? [])].sort((a, b) => statusOrder[a.status] - statusOrder[b.status]);

  const columns: Column<ReservationView>[] = [
    { key: "order", header: "Order", cell: (r) => <strong>{r.orderRef}</strong> },
    {
      key: "lines",
      header: "Lines",
      cell: (r) => (
        <ul className="plain-list">
          {r.lines.map((line) => (
            <li key={line.itemId}>
              <span className="qty">{formatQty(line.qty, line.unit)}</span> <code className="sku">{line.sku}</code>{" "}
              <span className="muted">{line.name}</span>
            </li>
          ))}
        </ul>
      ),
    },
    {
      key: "created",
      header: "Created",
      cell: (r) => (
        <>
          {formatDateTime(r.createdAt)}
          <br />
          <span className="muted">by {r.createdBy}</span>
        </>
      ),
    },
    { key: "status", header: "Status", cell: (r) => <span className={`status status-${r.status}`}>{r.status}</span> },
    {
      key: "action",
      header: <span className="visually-hidden">Action</span>,
      cell: (r) =>
        r.status === "active" ? (
          <ReleaseControl
            reservation={r}
            confirming={confirming === r.id}
            busy={release.isPending && release.variables?.id === r.id}
            onAsk={() => setConfirming(r.id)}
            onCancel={() => setConfirming(null)}
            onConfirm={() => release.mutate(r)}
          />
        ) : null,
    },
  ];

  return (
    <section className="card" aria-labelledby="reservations-title">
      <div className="card-header">
        <div>
          <h2 id="reservations-title">Reservations</h2>
          <p className="muted">The 50 most recent; active ones first.</p>
        </div>
      </div>
      {reservations.isError && !reservations.data ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Could not load the reservations.</p>
          <p>{errorText(reservations.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => reservations.refetch()}>
            Try again
          </button>
        </div>
      ) : reservations.isPending ? (
        <p className="loading" role="status">
          Loading reservations…
        </p>
      ) : (
        <DataTable
          caption="Reservations"
          hideCaption
          columns={columns}
          rows={rows}
          rowKey={(r) => r.id}
          rowLabel={(r) => r.orderRef}
          rowClassName={(r) => `row-${r.status}`}
          empty="No reservations yet. Use “Reserve for order” to make one."
        />
      )}
    </section>
  );
}

type ReleaseControlProps = {
  reservation: ReservationView;
  confirming: boolean;
  busy: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
};

/** Release asks once more in place: it gives the stock back to everyone. */
function ReleaseControl({ reservation, confirming, busy, onAsk, onCancel, onConfirm }: ReleaseControlProps) {
  if (!confirming) {
    return (
      <button type="button" className="button button-secondary button-small" onClick={onAsk}>
        Release
      </button>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of two buttons, not a form
    <div className="confirm-inline" role="group" aria-label={`Release order ${reservation.orderRef}?`}>
      <span>Release?</span>
      <button type="button" className="button button-danger button-small" disabled={busy} onClick={onConfirm}>
        {busy ? "Releasing…" : "Yes, release"}
      </button>
      <button type="button" className="button button-quiet button-small" disabled={busy} onClick={onCancel}>
        Keep
      </button>
    </div>
  );
}
