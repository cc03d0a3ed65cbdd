"use client";

import type { PurchaseOrderStatus } from "@/server/purchasing/get-purchase-order-or-throw";

// How the purchase-order pages show statuses, supplier risk, money and times.

const statusLabels: Record<PurchaseOrderStatus, string> = {
  PENDING: "Pending",
  SENT: "Sent",
  ACKNOWLEDGED: "Acknowledged",
  FAILED: "Failed",
  RECEIVED: "Received",
};

export function PoStatusBadge({ status }: { status: PurchaseOrderStatus }) {
  return (
    <span className={`status po-status po-status-${status.toLowerCase()}`} data-status={status}>
      {statusLabels[status]}
    </span>
  );
}

const riskTitles: Record<string, string> = {
  low: "Low supply risk",
  medium: "Medium supply risk: watch lead times",
  high: "High supply risk: consider a second source",
  critical: "Critical supply risk: talk to the category manager before ordering",
};

/** "risk: high", coloured by level; "risk: not assessed" when there is no assessment yet. */
export function RiskBadge({ level }: { level: string | null }) {
  return (
    <span className={`risk risk-${level ?? "none"}`} title={level ? riskTitles[level] : "No risk assessment yet"}>
      risk: {level ?? "not assessed"}
    </span>
  );
}

const moneyFormat = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 4 });

export function formatMoney(amount: number): string {
  return moneyFormat.format(amount);
}

/** "in 8 s", "in 3 min", "12 s ago": for retry times a buyer is waiting on. */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(seconds);
  const amount =
    size < 90 ? `${size} s` : size < 90 * 60 ? `${Math.round(size / 60)} min` : `${Math.round(size / 3600)} h`;
  if (seconds === 0) return "now";
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

const timeFormat = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium" });

export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}
