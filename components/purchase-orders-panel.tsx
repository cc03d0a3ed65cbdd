"use client";

import Link from "next/link";
import { useState } from "react";
import { errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { NewPurchaseOrderDialog } from "./new-purchase-order-dialog";
import { formatMoney, PoStatusBadge, RiskBadge } from "./purchase-order-format";
import { usePurchasingLiveUpdates } from "./purchase-order-live-updates";
import { type PurchaseOrderSummary, usePurchaseOrders } from "./purchase-order-queries";
import { formatDateTime } from "./quantities";

const columns: Column<PurchaseOrderSummary>[] = [
  {
    key: "order",
    header: "Order",
    cell: (o) => (
      <Link href={`/purchasing/orders/${o.id}`} className="po-link">
        <code className="sku">{o.id.slice(0, 8)}</code>
      </Link>
    ),
  },
  {
    key: "supplier",
    header: "Supplier",
    cell: (o) => (
      <span className="supplier-cell">
        {o.supplier.name} <RiskBadge level={o.supplier.riskLevel} />
      </span>
    ),
  },
  {
    key: "lines",
    header: "Lines",
    numeric: true,
    value: (o) => o.lineCount,
    cell: (o) => o.lineCount,
  },
  { key: "total", header: "Total", numeric: true, value: (o) => o.total, cell: (o) => formatMoney(o.total) },
  {
    key: "created",
    header: "Created",
    cell: (o) => (
      <>
        {formatDateTime(o.createdAt)}
        <br />
        <span className="muted">by {o.createdBy}</span>
      </>
    ),
  },
  {
    key: "status",
    header: "Status",
    value: (o) => o.status,
    cell: (o) => (
      <>
        <PoStatusBadge status={o.status} />
        {o.status === "FAILED" && o.failureReason ? <p className="po-failure-short">{o.failureReason}</p> : null}
      </>
    ),
  },
];

/** The newest purchase orders, each linking to its page; buyers and admins can raise a new one. */
export function PurchaseOrdersPanel({ canCreate }: { canCreate: boolean }) {
  const live = usePurchasingLiveUpdates();
  const orders = usePurchaseOrders({ live: live.state === "live" });
  const [dialogOpen, setDialogOpen] = useState(false);
  const rows = orders.data ?? [];

  return (
    <section className="card" aria-labelledby="orders-title">
      <div className="card-header">
        <div>
          <h2 id="orders-title">Purchase orders</h2>
          <p className="muted" aria-live="polite">
            {orders.isPending ? "Loading…" : `The ${rows.length} most recent, newest first.`}
          </p>
        </div>
        {canCreate ? (
          <div className="toolbar">
            <button type="button" className="button button-primary" onClick={() => setDialogOpen(true)}>
              New purchase order
            </button>
          </div>
        ) : null}
      </div>
      {orders.isError && !orders.data ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Could not load the purchase orders.</p>
          <p>{errorText(orders.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => orders.refetch()}>
            Try again
          </button>
        </div>
      ) : orders.isPending ? (
        <p className="loading" role="status">
          Loading purchase orders…
        </p>
      ) : (
        <DataTable
          caption="Purchase orders"
          hideCaption
          columns={columns}
          rows={rows}
          rowKey={(o) => o.id}
          rowLabel={(o) => o.id}
          rowClassName={(o) => `row-po-${o.status.toLowerCase()}`}
          empty={
            canCreate ? "No purchase orders yet. Use “New purchase order” to raise one." : "No purchase orders yet."
          }
        />
      )}
      {canCreate ? <NewPurchaseOrderDialog open={dialogOpen} onClose={() => setDialogOpen(false)} /> : null}
    </section>
  );
}
