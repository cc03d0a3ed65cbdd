"use client";

import Link from "next/link";
import { useState } from "react";
import { ApiError, errorText } from "./api-client";
import { type Column, DataTable } from "./data-table";
import { DeliveryAttemptsTable } from "./delivery-attempts-table";
import { formatMoney, PoStatusBadge, RiskBadge } from "./purchase-order-format";
import { usePurchasingLiveUpdates } from "./purchase-order-live-updates";
import type { PurchaseOrderView } from "./purchase-order-queries";
import { PurchaseOrderTimeline } from "./purchase-order-timeline";
import { formatDateTime, formatQty } from "./quantities";
import { ReceiveGoodsDialog } from "./receive-goods-dialog";
import { isFinalStatus, usePurchaseOrder } from "./use-purchase-order";

type Line = PurchaseOrderView["lines"][number];

const lineColumns: Column<Line>[] = [
  { key: "line", header: "#", numeric: true, cell: (l) => l.lineNo },
  { key: "sku", header: "SKU", cell: (l) => <code className="sku">{l.sku}</code> },
  { key: "name", header: "Name", cell: (l) => l.name },
  { key: "qty", header: "Ordered", numeric: true, value: (l) => l.qty, cell: (l) => formatQty(l.qty, l.unit) },
  {
    key: "received",
    header: "Received",
    numeric: true,
    value: (l) => l.receivedQty,
    cell: (l) => (
      <span className={l.receivedQty >= l.qty ? "received-full" : undefined}>{formatQty(l.receivedQty, l.unit)}</span>
    ),
  },
  {
    key: "price",
    header: "Unit price",
    numeric: true,
    value: (l) => l.unitPrice,
    cell: (l) => formatMoney(l.unitPrice),
  },
  { key: "amount", header: "Amount", numeric: true, cell: (l) => formatMoney(l.qty * l.unitPrice) },
];

/** One purchase order, kept current while it travels to the supplier (see usePurchaseOrder). */
export function PurchaseOrderDetail({ id, canReceive }: { id: string; canReceive: boolean }) {
  const live = usePurchasingLiveUpdates();
  const pushed = live.state === "live";
  const query = usePurchaseOrder(id, { live: pushed });
  const [receiving, setReceiving] = useState(false);
  const order = query.data;

  if (!order) {
    if (query.isError) {
      const missing = query.error instanceof ApiError && query.error.status === 404;
      return (
        <section className="card" role="alert">
          <p className="alert-title">{missing ? "This purchase order does not exist." : "Could not load the order."}</p>
          <p className="muted">{errorText(query.error)}</p>
          <p>
            <Link href="/purchasing/orders">Back to purchase orders</Link>
          </p>
        </section>
      );
    }
    return (
      <p className="loading" role="status">
        Loading the purchase order…
      </p>
    );
  }

  const receivable = canReceive && (order.status === "SENT" || order.status === "ACKNOWLEDGED");
  const following = !isFinalStatus(order.status);
  return (
    <>
      <div className="page-title po-title">
        <p>
          <Link href="/purchasing/orders">← Purchase orders</Link>
        </p>
        <div className="po-title-row">
          <h1>
            Purchase order <code className="po-id">{order.id.slice(0, 8)}</code>
          </h1>
          <PoStatusBadge status={order.status} />
          {receivable ? (
            <button type="button" className="button button-primary po-receive" onClick={() => setReceiving(true)}>
              Receive goods
            </button>
          ) : null}
        </div>
        <p className="muted">
          {order.supplier.name} <RiskBadge level={order.supplier.riskLevel} /> · total{" "}
          <strong>{formatMoney(order.total)}</strong> · created {formatDateTime(order.createdAt)} by {order.createdBy}
        </p>
        <p className="muted live-note" aria-live="polite">
          {following
            ? query.isFetching
              ? "Following the delivery… checking now"
              : pushed
                ? "Following the delivery: each attempt shows here as it happens"
                : "Following the delivery: checking every second until the live link is back"
            : "Final state: no more automatic updates"}
          {query.isError ? ` · last refresh failed: ${errorText(query.error)}` : ""}
        </p>
      </div>

      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title" className="card-heading">
          Progress
        </h2>
        <PurchaseOrderTimeline order={order} />
      </section>

      <section className="card" aria-labelledby="lines-title">
        <h2 id="lines-title" className="card-heading">
          Lines
        </h2>
        <DataTable
          caption="Order lines"
          hideCaption
          columns={lineColumns}
          rows={order.lines}
          rowKey={(l) => l.lineNo}
          rowLabel={(l) => l.sku}
        />
      </section>

      <section className="card" aria-labelledby="attempts-title">
        <h2 id="attempts-title" className="card-heading">
          Delivery attempts
        </h2>
        <DeliveryAttemptsTable attempts={order.attempts} pending={order.status === "PENDING"} />
      </section>

      {receivable ? <ReceiveGoodsDialog order={order} open={receiving} onClose={() => setReceiving(false)} /> : null}
    </>
  );
}
