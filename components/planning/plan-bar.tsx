"use client";

import { type FocusEvent, type MouseEvent, memo } from "react";
import { formatDuration, formatPlanTime, orderSubject } from "./plan-format";
import styles from "./planning.module.css";
import { barGeometry, type TimelineBar, type TimeWindow } from "./timeline-layout";

type Props = {
  bar: TimelineBar;
  window: TimeWindow;
  trackWidth: number;
  machineDown: boolean;
  moved: boolean;
  justMoved: boolean;
  selected: boolean;
  onSelect: (workOrderId: number) => void;
  onHover: (bar: TimelineBar, element: HTMLElement) => void;
  onLeave: () => void;
};

/** Below this many pixels a bar shows no text; below the next, its order number only. */
const minWidthForCode = 58;
const minWidthForDetail = 120;

/** One work order on a machine's track: a button that opens its details. */
export const PlanBar = memo(function PlanBar({
  bar,
  window,
  trackWidth,
  machineDown,
  moved,
  justMoved,
  selected,
  onSelect,
  onHover,
  onLeave,
}: Props) {
  const geometry = barGeometry(bar.start, bar.end, window);
  if (!geometry) return null;
  const { order } = bar;
  const pixels = (geometry.width / 100) * trackWidth;
  const late = bar.lateMs > 0;
  const classes = [
    styles.bar,
    styles[`priority${Math.min(Math.max(order.priority, 1), 5)}`],
    order.status === "running" ? styles.barRunning : "",
    machineDown ? styles.barOnDown : "",
    late ? styles.barLate : "",
    moved ? styles.barMoved : "",
    justMoved ? styles.barJustMoved : "",
    selected ? styles.barSelected : "",
    geometry.cutStart ? styles.barCutStart : "",
    geometry.cutEnd ? styles.barCutEnd : "",
  ];
  const label = [
    `${order.code}, ${orderSubject(order)}, priority ${order.priority}`,
    order.status === "running" ? "running" : null,
    `planned ${formatPlanTime(order.plannedStart)} to ${formatPlanTime(order.plannedEnd)}`,
    `due ${formatPlanTime(order.dueAt)}`,
    late ? `late by ${formatDuration(bar.lateMs)}` : "on time",
    moved ? "moved by the planner in the last 15 minutes" : null,
  ]
    .filter(Boolean)
    .join(", ");
  const show = (event: MouseEvent<HTMLButtonElement> | FocusEvent<HTMLButtonElement>) =>
    onHover(bar, event.currentTarget);

  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(" ")}
      style={{
        left: `${geometry.left}%`,
        width: `${geometry.width}%`,
        top: `calc(var(--lane-height) * ${bar.lane} + 4px)`,
      }}
      aria-label={label}
      aria-pressed={selected}
      data-work-order={order.code}
      data-late={late || undefined}
      data-moved={moved || undefined}
      onClick={() => onSelect(order.id)}
      onMouseEnter={show}
      onFocus={show}
      onMouseLeave={onLeave}
      onBlur={onLeave}
    >
      {late ? (
        <span className={styles.lateMark} aria-hidden="true">
          !
        </span>
      ) : null}
      {pixels >= minWidthForCode ? (
        <span className={styles.barText} aria-hidden="true">
          <span className={styles.barCode}>
            {order.code}
            {pixels >= minWidthForDetail ? <span className={styles.barPriority}> P{order.priority}</span> : null}
          </span>
          {pixels >= minWidthForDetail ? <span className={styles.barSubject}>{orderSubject(order)}</span> : null}
        </span>
      ) : null}
    </button>
  );
});
