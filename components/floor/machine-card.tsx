"use client";

import type { ReactNode } from "react";
import type { MachineStatus } from "@/server/planning/plan-types";
import styles from "./floor.module.css";
import {
  availableActions,
  type FloorAction,
  type MachineReport,
  machineState,
  projectState,
  reportWords,
  statusWords,
} from "./floor-actions";
import type { FloorMachine, FloorOrder } from "./floor-cache";
import { formatClock, formatDue, formatDuration } from "./floor-time";

type Props = {
  machine: FloorMachine;
  /** Presses for this machine still waiting to be sent, oldest first. */
  pending: readonly FloorAction[];
  /** The planner's latest move onto or off this machine, if recent. */
  lastMove?: string;
  /** False for people who may look but not act (managers). */
  canAct: boolean;
  now: number;
  onAction: (action: FloorAction) => void;
};

/** One machine as an operator sees it at arm's length: status, for how long, its work, and big buttons. */
export function MachineCard({ machine, pending, lastMove, canAct, now, onAction }: Props) {
  const confirmed = machineState(machine.status, machine.queue);
  const projected = projectState(confirmed, pending);
  const actions = availableActions(projected);
  const running = machine.queue.find((o) => o.status === "running");
  const queued = machine.queue.filter((o) => o.status === "queued");
  const [next, ...later] = queued;
  const on = { machineId: machine.id, machineCode: machine.code };
  const report = (event: MachineReport) => onAction({ kind: "report", event, ...on });
  const { finish, start } = actions;

  return (
    <article
      className={styles.machine}
      data-status={machine.status}
      data-machine={machine.code}
      aria-labelledby={`machine-${machine.id}`}
    >
      <header className={styles.machineHeader}>
        <h3 id={`machine-${machine.id}`} className={styles.machineName}>
          <span className={styles.machineCode}>{machine.code}</span> {machine.name}
        </h3>
        <StatusBadge status={machine.status} />
      </header>
      <p className={styles.since}>
        {statusWords[machine.status]} for <strong>{formatDuration(now - Date.parse(machine.statusSince))}</strong>
        <span className={styles.muted}> · since {formatClock(machine.statusSince)}</span>
      </p>
      {pending.length > 0 ? (
        <p className={styles.pendingNote} role="status">
          Waiting to send: {pending.map(pendingWords).join(", then ")}
        </p>
      ) : null}

      <dl className={styles.orders}>
        <div className={styles.orderRow}>
          <dt>Now</dt>
          <dd>
            {running ? <OrderLine order={running} running /> : <span className={styles.muted}>Nothing running</span>}
          </dd>
        </div>
        <div className={styles.orderRow}>
          <dt>Next</dt>
          <dd>
            {next ? <OrderLine order={next} /> : <span className={styles.muted}>Nothing queued</span>}
            {later.length > 0 ? (
              <span className={styles.later}>
                then{" "}
                {later
                  .slice(0, 3)
                  .map((o) => o.code)
                  .join(", ")}
                {later.length > 3 ? ` and ${later.length - 3} more` : ""}
              </span>
            ) : null}
          </dd>
        </div>
      </dl>
      {lastMove ? <p className={styles.moved}>↪ {lastMove}</p> : null}

      {canAct ? (
        <div className={styles.actions}>
          {finish ? (
            <ActionButton
              tone="primary"
              onClick={() => onAction({ kind: "finish", workOrderId: finish.id, workOrderCode: finish.code, ...on })}
            >
              Finish {finish.code}
            </ActionButton>
          ) : null}
          {start ? (
            <ActionButton
              tone="primary"
              onClick={() => onAction({ kind: "start", workOrderId: start.id, workOrderCode: start.code, ...on })}
            >
              Start {start.code}
            </ActionButton>
          ) : null}
          {actions.resume ? (
            <ActionButton tone="go" onClick={() => report("resume")}>
              Resume
            </ActionButton>
          ) : null}
          {actions.breakdown ? (
            <ActionButton tone="stop" label={`Report breakdown on ${machine.code}`} onClick={() => report("breakdown")}>
              Breakdown
            </ActionButton>
          ) : null}
          {actions.material_shortage ? (
            <ActionButton
              tone="warn"
              label={`Report material shortage on ${machine.code}`}
              onClick={() => report("material_shortage")}
            >
              Material shortage
            </ActionButton>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function pendingWords(action: FloorAction): string {
  if (action.kind === "report") return reportWords[action.event].toLowerCase();
  return `${action.kind} ${action.workOrderCode}`;
}

export function StatusBadge({ status }: { status: MachineStatus }) {
  return (
    <span className={styles.statusBadge} data-status={status}>
      {statusWords[status]}
    </span>
  );
}

function OrderLine({ order, running = false }: { order: FloorOrder; running?: boolean }) {
  return (
    <span className={styles.orderLine}>
      <strong className={styles.orderCode}>{order.code}</strong>{" "}
      <span>
        {order.operation} · qty {order.quantity}
      </span>
      <span className={styles.orderTimes}>
        {running && order.startedAt ? `started ${formatClock(order.startedAt)} · ` : ""}
        {running ? `ends ~${formatClock(order.plannedEnd)}` : `~${order.estimatedMinutes} min`} · due{" "}
        {formatDue(order.dueAt)}
        {order.priority === 1 ? <span className={styles.urgent}> · urgent</span> : null}
      </span>
    </span>
  );
}

function ActionButton({
  tone,
  label,
  onClick,
  children,
}: {
  tone: "primary" | "go" | "stop" | "warn";
  /** The spoken name, when the short text on the button needs the machine to make sense. */
  label?: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" className={styles.actionButton} data-tone={tone} aria-label={label} onClick={onClick}>
      {children}
    </button>
  );
}
