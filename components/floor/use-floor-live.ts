"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import type { LiveMessage } from "@/server/realtime/live-message";
import { useToast } from "../toast";
import { useLiveEvents } from "../use-live-events";
import { statusWords } from "./floor-actions";
import { applyMachineStatus, applyWorkOrderUpdate, type FloorPlan, type Patched, planTouches } from "./floor-cache";
import { floorKeys } from "./floor-queries";

type Options = {
  userId: number;
  /** The machines on screen (the chosen group's): toasts are about these only. */
  visibleMachineIds: ReadonlySet<number>;
  /** Whether this tablet itself did something to the work order lately (no toast for one's own press). */
  isOwnWorkOrder: (workOrderId: number) => boolean;
};

/**
 * The floor's live link: pushes patch the cached plan at once (or invalidate
 * it when they say less than the cards show), a resync refetches before any
 * further event is applied (see useLiveEvents), and changes made by others
 * are announced in a toast.
 */
export function useFloorLive({ userId, visibleMachineIds, isOwnWorkOrder }: Options) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const live = useLiveEvents({ onResync: () => queryClient.invalidateQueries({ queryKey: floorKeys.all }) });
  const context = useRef({ userId, visibleMachineIds, isOwnWorkOrder, notify });
  context.current = { userId, visibleMachineIds, isOwnWorkOrder, notify };
  const { subscribe } = live;

  useEffect(() => {
    const plan = () => queryClient.getQueryData<FloorPlan>(floorKeys.plan);
    const machineName = (id: number | null) => {
      const machine = plan()?.machines.find((m) => m.id === id);
      return machine ? `${machine.code} ${machine.name}` : `Machine ${id}`;
    };
    const refetch = () => void queryClient.invalidateQueries({ queryKey: floorKeys.plan });
    /** Writes a patch; a fetch that left before this event would overwrite it, so that one is redone. */
    const patch = (apply: (current: FloorPlan) => Patched) => {
      const current = plan();
      if (!current) return refetch();
      const { plan: next, complete } = apply(current);
      if (next !== current) queryClient.setQueryData(floorKeys.plan, next);
      if (!complete || queryClient.isFetching({ queryKey: floorKeys.plan }) > 0) refetch();
    };

    const offStatus = subscribe("machine.status", (message: LiveMessage<"machine.status">) => {
      const event = message.payload;
      patch((current) => applyMachineStatus(current, event));
      const { userId, visibleMachineIds, notify } = context.current;
      const reported = event.type === "breakdown" || event.type === "material_shortage" || event.type === "resume";
      if (reported && event.reportedBy !== userId && visibleMachineIds.has(event.machineId)) {
        notify({
          tone: event.status === "breakdown" ? "error" : "info",
          title: `${machineName(event.machineId)}: ${statusWords[event.status].toLowerCase()}`,
          body: event.note ? `Reported from another tablet: ${event.note}` : "Reported from another tablet.",
        });
      }
    });
    const offOrder = subscribe("work_order.updated", (message: LiveMessage<"work_order.updated">) => {
      const event = message.payload;
      patch((current) => applyWorkOrderUpdate(current, event, message.at));
      const { visibleMachineIds, isOwnWorkOrder, notify } = context.current;
      const shown = event.machineId !== null && visibleMachineIds.has(event.machineId);
      if (shown && !isOwnWorkOrder(event.workOrderId) && (event.status === "running" || event.status === "done")) {
        notify({
          tone: "info",
          title: `${event.code} ${event.status === "running" ? "started" : "finished"}`,
          body: `On ${machineName(event.machineId)}, from another tablet.`,
        });
      }
    });
    const offPlan = subscribe("plan.updated", (message: LiveMessage<"plan.updated">) => {
      // The new queues name orders this tablet may not have (moved in from
      // elsewhere): only a refetch has their details.
      refetch();
      const event = message.payload;
      const { visibleMachineIds, notify } = context.current;
      if (!planTouches(event, visibleMachineIds)) return;
      const moves = event.moves.filter(
        (m) =>
          (m.fromMachineId !== null && visibleMachineIds.has(m.fromMachineId)) ||
          (m.toMachineId !== null && visibleMachineIds.has(m.toMachineId)),
      );
      const waiting = event.waiting.filter((w) => w.machineId === null || visibleMachineIds.has(w.machineId));
      if (moves.length === 0 && waiting.length === 0) return;
      const first = moves[0]?.explanation ?? waiting[0]?.explanation ?? "";
      const more = moves.length + waiting.length - 1;
      notify({
        tone: "info",
        title: `Plan re-routed: ${moves.length} ${moves.length === 1 ? "order" : "orders"} moved`,
        body: more > 0 ? `${first} (and ${more} more)` : first,
      });
    });
    return () => {
      offStatus();
      offOrder();
      offPlan();
    };
  }, [subscribe, queryClient]);

  return live;
}
