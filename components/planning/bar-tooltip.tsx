"use client";

import { useCallback, useState } from "react";
import { formatDuration, formatPlanTime } from "./plan-format";
import styles from "./planning.module.css";
import type { TimelineBar } from "./timeline-layout";

type TooltipState = { bar: TimelineBar; x: number; y: number } | null;

const tooltipWidth = 280;

/** Which bar the pointer (or keyboard focus) is on, and where to show its tooltip. */
export function useBarTooltip() {
  const [state, setState] = useState<TooltipState>(null);
  const show = useCallback((bar: TimelineBar, element: HTMLElement) => {
    const rect = element.getBoundingClientRect();
    // Under the bar, kept inside the window horizontally.
    const x = Math.min(Math.max(8, rect.left), window.innerWidth - tooltipWidth - 8);
    setState({ bar, x, y: rect.bottom + 6 });
  }, []);
  const hide = useCallback(() => setState(null), []);
  return { state, show, hide };
}

/** A short card under the hovered bar; the detail panel beside the chart has the rest. */
export function BarTooltip({ state, now }: { state: TooltipState; now: number }) {
  if (!state) return null;
  const { order, lateMs } = state.bar;
  return (
    <div className={styles.tooltip} style={{ left: state.x, top: state.y, width: tooltipWidth }} role="tooltip">
      <p className={styles.tooltipTitle}>
        {order.code} <span className={styles.tooltipPriority}>P{order.priority}</span>
      </p>
      <p>
        {order.quantity} × {order.product ? `${order.product.name} (${order.operation})` : order.operation}
      </p>
      <p>
        {formatPlanTime(order.plannedStart, now)} – {formatPlanTime(order.plannedEnd, now)} (
        {formatDuration(Date.parse(order.plannedEnd) - Date.parse(order.plannedStart))})
      </p>
      <p className={lateMs > 0 ? styles.tooltipLate : undefined}>
        Due {formatPlanTime(order.dueAt, now)}
        {lateMs > 0 ? ` · late by ${formatDuration(lateMs)}` : " · on time"}
      </p>
    </div>
  );
}
