"use client";

import { useMemo } from "react";
import { groupChanges } from "./change-groups";
import { formatPlanTime } from "./plan-format";
import type { PlanView } from "./plan-queries";
import styles from "./planning.module.css";

const eventWords: Record<string, string> = {
  breakdown: "breakdown",
  material_shortage: "material shortage",
  maintenance: "maintenance",
  resume: "resumed",
};

type Props = {
  plan: PlanView;
  now: number;
  selectedId: number | null;
  onSelect: (workOrderId: number) => void;
};

/** "What moved and why": the planner's latest decisions by machine event, newest first, each with its reason. */
export function PlanChanges({ plan, now, selectedId, onSelect }: Props) {
  const groups = useMemo(() => groupChanges(plan.changes), [plan.changes]);
  const machineName = useMemo(() => new Map(plan.machines.map((m) => [m.id, m.name])), [plan.machines]);
  const onPlan = useMemo(() => new Set(plan.machines.flatMap((m) => m.queue.map((o) => o.id))), [plan.machines]);

  return (
    <section className="card" aria-labelledby="plan-changes-title">
      <h2 id="plan-changes-title" className="card-heading">
        What moved and why
      </h2>
      {groups.length === 0 ? (
        <p className="muted">
          Nothing has been re-planned yet. When a machine stops, its orders and the reasons show here.
        </p>
      ) : (
        <ol className={styles.changeGroups}>
          {groups.map((group, index) => (
            <li
              key={group.key}
              data-event-id={group.reason.eventId ?? undefined}
              data-trigger={group.reason.type}
              className={index === 0 ? `${styles.changeGroup} ${styles.changeGroupLatest}` : styles.changeGroup}
            >
              <p className={styles.changeTrigger}>
                <strong>{machineName.get(group.reason.machineId) ?? `Machine ${group.reason.machineId}`}</strong>{" "}
                {eventWords[group.reason.type] ?? group.reason.type}
                <span className="muted"> · {formatPlanTime(group.at, now)}</span>
                {index === 0 ? <span className={styles.latestTag}>latest</span> : null}
              </p>
              <ul className={styles.changeList}>
                {group.changes.map((change) => (
                  <li
                    key={change.id}
                    className={
                      change.workOrderId === selectedId ? `${styles.change} ${styles.changeSelected}` : styles.change
                    }
                    data-change-kind={change.kind}
                    data-work-order={change.code}
                  >
                    {onPlan.has(change.workOrderId) ? (
                      <button type="button" className={styles.changeCode} onClick={() => onSelect(change.workOrderId)}>
                        {change.code}
                      </button>
                    ) : (
                      <span className={styles.changeCode}>{change.code}</span>
                    )}
                    <span className={change.kind === "moved" ? styles.kindMoved : styles.kindWaiting}>
                      {change.kind === "moved" ? "moved" : "waiting"}
                    </span>
                    <p className={styles.explanation}>{change.explanation}</p>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
