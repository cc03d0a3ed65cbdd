"use client";

import { useMemo } from "react";
import { formatDuration, formatPlanTime, machineStatusWords } from "./plan-format";
import type { PlannedOrder, PlanView } from "./plan-queries";
import styles from "./planning.module.css";
import { lateBy } from "./timeline-layout";

/** The order's latest moves; the change list has the rest. */
const historyShown = 3;

type Props = { plan: PlanView; workOrderId: number; now: number; onClose: () => void };

/** Everything about the selected bar: what it makes, when, for when, on which machine, and why it is there. */
export function OrderDetail({ plan, workOrderId, now, onClose }: Props) {
  const found = useMemo(() => {
    for (const machine of plan.machines) {
      const order = machine.queue.find((o) => o.id === workOrderId);
      if (order) return { machine, order };
    }
    return null;
  }, [plan.machines, workOrderId]);
  const history = plan.changes.filter((c) => c.workOrderId === workOrderId);
  const shown = history.slice(0, historyShown);

  return (
    <section className={`card ${styles.detail}`} aria-labelledby="order-detail-title">
      <div className={styles.detailHeader}>
        <h2 id="order-detail-title">{found ? `Order ${found.order.code}` : "Order"}</h2>
        <button type="button" className="icon-button" aria-label="Close order details" onClick={onClose}>
          ×
        </button>
      </div>
      {found ? (
        <OrderFacts order={found.order} machine={found.machine} now={now} />
      ) : (
        <p className="muted">This order is no longer in the plan: it was finished or cancelled.</p>
      )}
      {history.length > 0 ? (
        <>
          <h3 className={styles.detailSubheading}>Why it is here</h3>
          <ul className={styles.changeList}>
            {shown.map((change) => (
              <li key={change.id} className={styles.change}>
                <span className="muted">{formatPlanTime(change.at, now)}</span>
                <p className={styles.explanation}>{change.explanation}</p>
              </li>
            ))}
          </ul>
          {history.length > shown.length ? (
            <p className="muted">
              {history.length - shown.length} earlier {history.length - shown.length === 1 ? "move" : "moves"} in “What
              moved and why”.
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function OrderFacts({
  order,
  machine,
  now,
}: {
  order: PlannedOrder;
  machine: PlanView["machines"][number];
  now: number;
}) {
  const late = lateBy(order);
  const facts: [string, string][] = [
    ["Makes", order.product ? `${order.product.name} (${order.product.sku})` : "—"],
    ["Operation", `${order.operation}, ${order.quantity} pcs`],
    ["Priority", `${order.priority} (1 is the most urgent)`],
    ["Machine", `${machine.name} (${machine.code}) · ${machineStatusWords[machine.status].toLowerCase()}`],
    [
      "Status",
      order.status === "running"
        ? `running since ${formatPlanTime(order.startedAt ?? order.plannedStart, now)}`
        : `queued, no. ${order.sequence}`,
    ],
    ["Planned", `${formatPlanTime(order.plannedStart, now)} – ${formatPlanTime(order.plannedEnd, now)}`],
    ["Machine time", formatDuration(order.estimatedMinutes * 60_000)],
    ["Due", formatPlanTime(order.dueAt, now)],
  ];
  return (
    <>
      <dl className={styles.facts}>
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p className={late > 0 ? styles.lateNote : styles.onTimeNote} role="status">
        {late > 0 ? `Finishes ${formatDuration(late)} after its due date.` : "Finishes before its due date."}
      </p>
    </>
  );
}
