"use client";

import { type Column, DataTable } from "./data-table";
import { formatRelative, formatTime } from "./purchase-order-format";
import type { PurchaseOrderView } from "./purchase-order-queries";
import { formatDateTime } from "./quantities";
import { useNow } from "./use-now";

type Attempt = PurchaseOrderView["attempts"][number];

const outcomeLabels: Record<Attempt["outcome"], string> = {
  delivered: "Delivered",
  retry: "Will retry",
  failed: "Refused",
  dead_lettered: "Gave up",
};

/** Every try at delivering the order to the supplier, oldest first, with when the next one comes. */
export function DeliveryAttemptsTable({ attempts, pending }: { attempts: Attempt[]; pending: boolean }) {
  const now = useNow();
  const columns: Column<Attempt>[] = [
    { key: "time", header: "Time", cell: (a) => <span title={formatDateTime(a.at)}>{formatTime(a.at)}</span> },
    { key: "attempt", header: "Attempt", numeric: true, value: (a) => a.attempt, cell: (a) => `#${a.attempt}` },
    {
      key: "outcome",
      header: "Outcome",
      value: (a) => a.outcome,
      cell: (a) => <span className={`status attempt-${a.outcome}`}>{outcomeLabels[a.outcome]}</span>,
    },
    { key: "error", header: "Error", cell: (a) => (a.error ? <span className="attempt-error">{a.error}</span> : "–") },
    {
      key: "next",
      header: "Next retry",
      cell: (a) => {
        if (!a.nextAttemptAt) return <span className="muted">–</span>;
        // Only the latest attempt's retry is still ahead; earlier ones were superseded.
        const future = a === attempts.at(-1) && Date.parse(a.nextAttemptAt) > now;
        return (
          <span title={formatDateTime(a.nextAttemptAt)} className={future ? "next-retry" : "muted"}>
            {future
              ? `${formatRelative(a.nextAttemptAt, now)} (${formatTime(a.nextAttemptAt)})`
              : formatTime(a.nextAttemptAt)}
          </span>
        );
      },
    },
    {
      key: "duration",
      header: "Took",
      numeric: true,
      value: (a) => a.durationMs ?? "",
      cell: (a) => (a.durationMs === null ? "–" : `${a.durationMs.toLocaleString("en-GB")} ms`),
    },
  ];
  return (
    <DataTable
      caption="Delivery attempts"
      hideCaption
      columns={columns}
      rows={attempts}
      rowKey={(a) => `${a.attempt}-${a.at}`}
      rowLabel={(a) => `attempt-${a.attempt}`}
      empty={
        pending
          ? "No delivery attempt yet: the relay picks the order up within seconds."
          : "No delivery attempts recorded."
      }
    />
  );
}
