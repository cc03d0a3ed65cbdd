"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { access, type Role } from "@/server/auth/roles";
import { errorText } from "../api-client";
import { ConnectionIndicator } from "../connection-indicator";
import { useToast } from "../toast";
import styles from "./floor.module.css";
import type { FloorAction } from "./floor-actions";
import type { FloorMachine } from "./floor-cache";
import { floorKeys, useFloorPlan } from "./floor-queries";
import { type GroupChoice, GroupPicker, type WorkCenterOption } from "./group-picker";
import { MachineCard } from "./machine-card";
import { QueuedActions } from "./queued-actions";
import { type FloorEntry, useActionQueue } from "./use-action-queue";
import { useFloorLive } from "./use-floor-live";
import { useNow } from "./use-now";

export type FloorUser = { userId: number; role: Role; workCenterId: number | null };

/** A planner's move shown on the card it touched, for this long. */
const recentMoveMs = 60 * 60_000;
/** A work order this tablet started or finished this recently is its own: no toast for the echo. */
const ownEchoMs = 2 * 60_000;

const isPending = (e: FloorEntry) => e.state === "queued" || e.state === "sending";

/**
 * The tablet view of the shop floor: the machines of one work-center group
 * as large cards, kept live over Socket.IO, with every press going through
 * the tablet's offline queue.
 */
export function FloorView({
  me,
  workCenters,
  initialGroup,
}: {
  me: FloorUser;
  workCenters: readonly WorkCenterOption[];
  initialGroup: GroupChoice;
}) {
  const operatorGroup = me.role === "operator" ? me.workCenterId : null;
  const canChooseGroup = me.role !== "operator";
  const canAct = (access.shopFloor as readonly Role[]).includes(me.role);
  const [group, setGroup] = useState<GroupChoice>(operatorGroup ?? initialGroup);
  const plan = useFloorPlan();
  const queryClient = useQueryClient();
  const notify = useToast();
  const now = useNow(10_000);

  const onSettled = useCallback(
    (entry: FloorEntry) => {
      if (entry.state === "confirmed") notify({ tone: "success", title: `Confirmed: ${entry.label}` });
      else notify({ tone: "error", title: `Refused: ${entry.label}`, body: entry.error ?? undefined });
      // The live push shows the change too; this covers a tablet whose link is still coming back.
      void queryClient.invalidateQueries({ queryKey: floorKeys.plan });
    },
    [notify, queryClient],
  );
  const queue = useActionQueue(me.userId, onSettled);
  const entriesRef = useRef(queue.entries);
  entriesRef.current = queue.entries;
  const isOwnWorkOrder = useCallback((workOrderId: number) => {
    const since = Date.now() - ownEchoMs;
    return entriesRef.current.some(
      (e) =>
        e.action.kind !== "report" &&
        e.action.workOrderId === workOrderId &&
        (isPending(e) || Date.parse(e.settledAt ?? e.createdAt) >= since),
    );
  }, []);

  const machines = useMemo(
    () => (plan.data?.machines ?? []).filter((m) => group === "all" || m.workCenterId === group),
    [plan.data, group],
  );
  const visibleMachineIds = useMemo(() => new Set(machines.map((m) => m.id)), [machines]);
  const live = useFloorLive({ userId: me.userId, visibleMachineIds, isOwnWorkOrder });

  // Back on the live link: whatever waits in the queue goes now.
  const { flush } = queue;
  useEffect(() => {
    if (live.state === "live") void flush();
  }, [live.state, flush]);

  const chooseGroup = (choice: GroupChoice) => {
    setGroup(choice);
    const url = new URL(window.location.href);
    if (choice === "all") url.searchParams.delete("group");
    else url.searchParams.set("group", String(choice));
    window.history.replaceState(null, "", url);
  };

  const pendingByMachine = useMemo(() => {
    const byMachine = new Map<number, FloorAction[]>();
    for (const entry of queue.entries.filter(isPending)) {
      const list = byMachine.get(entry.action.machineId) ?? [];
      list.push(entry.action);
      byMachine.set(entry.action.machineId, list);
    }
    return byMachine;
  }, [queue.entries]);

  const lastMoveOf = (machine: FloorMachine): string | undefined => {
    const change = plan.data?.changes.find(
      (c) => (c.toMachineId === machine.id || c.fromMachineId === machine.id) && now - Date.parse(c.at) < recentMoveMs,
    );
    return change?.explanation;
  };

  const groupName = (id: number | null) => workCenters.find((wc) => wc.id === id)?.name ?? `Work center ${id}`;
  const sections =
    group === "all"
      ? workCenters
          .map((wc) => ({ id: wc.id, name: wc.name, machines: machines.filter((m) => m.workCenterId === wc.id) }))
          .filter((s) => s.machines.length > 0)
      : [{ id: group, name: groupName(group), machines }];

  return (
    <div className={styles.floor}>
      <div className={styles.topBar}>
        <div className={styles.titleBlock}>
          <h1>Shop floor</h1>
          <p className={styles.subtitle}>
            {operatorGroup !== null
              ? `${groupName(operatorGroup)}: the machines of your work-center group.`
              : me.role === "operator"
                ? "You are not in a work-center group yet: an admin adds you to one."
                : canAct
                  ? "Choose a work-center group, or see them all."
                  : "View only: operators, planners and admins report from here."}
          </p>
        </div>
        <ConnectionIndicator state={live.state} lastConfirmedAt={live.lastConfirmedAt} />
      </div>

      {canChooseGroup ? <GroupPicker workCenters={workCenters} value={group} onChange={chooseGroup} /> : null}

      <QueuedActions entries={queue.entries} onDismiss={queue.dismiss} />

      {plan.isError && !plan.data ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">Could not load the machines.</p>
          <p>{errorText(plan.error)}</p>
          <button type="button" className={styles.retryButton} onClick={() => plan.refetch()}>
            Try again
          </button>
        </div>
      ) : plan.isPending ? (
        <p className="loading" role="status">
          Loading machines…
        </p>
      ) : sections.length === 0 || machines.length === 0 ? (
        <p className={styles.empty}>No machines in this group.</p>
      ) : (
        sections.map((section) => (
          <section key={section.id} className={styles.group} aria-label={section.name}>
            {group === "all" ? <h2 className={styles.groupTitle}>{section.name}</h2> : null}
            <div className={styles.grid}>
              {section.machines.map((machine) => (
                <MachineCard
                  key={machine.id}
                  machine={machine}
                  pending={pendingByMachine.get(machine.id) ?? []}
                  lastMove={lastMoveOf(machine)}
                  canAct={canAct}
                  now={now}
                  onAction={queue.enqueue}
                />
              ))}
            </div>
          </section>
        ))
      )}
    </div>
  );
}
