"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { errorText } from "../api-client";
import { ConnectionIndicator } from "../connection-indicator";
import { useNow } from "../use-now";
import { recentlyMovedIds } from "./change-groups";
import { OrderDetail } from "./order-detail";
import { PlanChanges } from "./plan-changes";
import { PlanLegend } from "./plan-legend";
import { usePlan } from "./plan-queries";
import { PlanTimeline } from "./plan-timeline";
import styles from "./planning.module.css";
import { lateBy, planWindow, type TimeRange } from "./timeline-layout";
import { usePlanLiveUpdates } from "./use-plan-live-updates";

const ranges: { value: TimeRange; label: string }[] = [
  { value: "8h", label: "Next 8 h" },
  { value: "24h", label: "Next 24 h" },
  { value: "all", label: "Whole plan" },
];

/** Bars the planner moved within this time are outlined. */
const movedRecentlyMs = 15 * 60_000;
/** How long bars that a push just moved keep flashing. */
const justMovedMs = 8000;

/** The planning page: the live timeline, the selected order, and what moved and why. */
export function PlanningBoard() {
  const plan = usePlan();
  const now = useNow(30_000);
  const [range, setRange] = useState<TimeRange>("24h");
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [justMoved, setJustMoved] = useState<ReadonlySet<number>>(() => new Set());
  const flashTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(flashTimer.current), []);

  const onMoved = useCallback((ids: number[]) => {
    setJustMoved(new Set(ids));
    clearTimeout(flashTimer.current);
    flashTimer.current = setTimeout(() => setJustMoved(new Set()), justMovedMs);
  }, []);
  const live = usePlanLiveUpdates({ onMoved });

  const data = plan.data;
  const window = useMemo(() => (data ? planWindow(data, now, range) : null), [data, now, range]);
  const movedIds = useMemo(() => recentlyMovedIds(data?.changes ?? [], now, movedRecentlyMs), [data?.changes, now]);
  const figures = useMemo(() => {
    const orders = data?.machines.flatMap((m) => m.queue) ?? [];
    return {
      machines: data?.machines.length ?? 0,
      orders: orders.length,
      late: orders.filter((o) => lateBy(o) > 0).length,
      down: data?.machines.filter((m) => m.status !== "running" && m.status !== "idle").length ?? 0,
    };
  }, [data]);

  return (
    <div className={styles.board}>
      <section className={`card ${styles.timelineCard}`} aria-labelledby="timeline-title">
        <div className="card-header">
          <div>
            <h2 id="timeline-title">Plan by machine</h2>
            <p className="muted">
              {data
                ? `${figures.machines} machines · ${figures.orders} open orders · ${figures.late} late · ${figures.down} stopped`
                : "Loading…"}
              {plan.dataUpdatedAt ? (
                <span className={styles.fetchedAt}>
                  {" "}
                  ·{" "}
                  {plan.isFetching
                    ? "updating…"
                    : `plan of ${new Date(plan.dataUpdatedAt).toLocaleTimeString("en-GB")}`}
                </span>
              ) : null}
            </p>
          </div>
          <div className="toolbar">
            {/* biome-ignore lint/a11y/useSemanticElements: a set of toggle buttons, not a form */}
            <div className={styles.segmented} role="group" aria-label="Time shown">
              {ranges.map((r) => (
                <button
                  key={r.value}
                  type="button"
                  aria-pressed={range === r.value}
                  className={styles.segment}
                  onClick={() => setRange(r.value)}
                >
                  {r.label}
                </button>
              ))}
            </div>
            <ConnectionIndicator state={live.state} lastConfirmedAt={live.lastConfirmedAt} />
          </div>
        </div>

        {plan.isError && data ? (
          <p className="alert alert-warning" role="status">
            The last refresh failed ({errorText(plan.error)}); showing the plan as it was.
          </p>
        ) : null}

        {plan.isError && !data ? (
          <div className="alert alert-error" role="alert">
            <p className="alert-title">Could not load the plan.</p>
            <p>{errorText(plan.error)}</p>
            <button type="button" className="button button-secondary" onClick={() => plan.refetch()}>
              Try again
            </button>
          </div>
        ) : !data || !window ? (
          <p className="loading" role="status">
            Loading the plan…
          </p>
        ) : data.machines.length === 0 ? (
          <p className="muted">No machines to plan.</p>
        ) : (
          <>
            <PlanTimeline
              plan={data}
              window={window}
              now={now}
              movedIds={movedIds}
              justMovedIds={justMoved}
              selectedId={selectedId}
              onSelect={setSelectedId}
            />
            <PlanLegend />
          </>
        )}
      </section>

      <div className={styles.side}>
        {data && selectedId !== null ? (
          <OrderDetail plan={data} workOrderId={selectedId} now={now} onClose={() => setSelectedId(null)} />
        ) : null}
        {data ? (
          <PlanChanges plan={data} now={now} selectedId={selectedId} onSelect={setSelectedId} />
        ) : (
          <section className="card" aria-label="What moved and why">
            <p className="loading" role="status">
              Loading the latest changes…
            </p>
          </section>
        )}
        {data && data.unassigned.length > 0 ? (
          <section className="card" aria-labelledby="unassigned-title">
            <h2 id="unassigned-title" className="card-heading">
              Without a machine
            </h2>
            <ul className={styles.changeList}>
              {data.unassigned.map((order) => (
                <li key={order.id} className={styles.change}>
                  <strong>{order.code}</strong>{" "}
                  <span className="muted">
                    {order.operation}, priority {order.priority}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </div>
  );
}
