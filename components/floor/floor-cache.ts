import type { PlanView } from "@/server/planning/get-plan";
import type { LiveEventPayload } from "@/server/realtime/events";

// Live events applied to the floor's cached plan (GET /api/plan), so a card
// changes the moment the push arrives. Events carry states, not differences:
// applying one twice, or after a refetch that already holds it, changes
// nothing; an event older than what the cache shows is ignored.

export type FloorPlan = PlanView;
export type FloorMachine = PlanView["machines"][number];
export type FloorOrder = FloorMachine["queue"][number];

/** `complete`: the cache now shows what the event says; otherwise refetch. */
export type Patched = { plan: FloorPlan; complete: boolean };

export function applyMachineStatus(plan: FloorPlan, event: LiveEventPayload<"machine.status">): Patched {
  const machine = plan.machines.find((m) => m.id === event.machineId);
  if (!machine) return { plan, complete: false };
  // The cache already shows a later change (a refetch overtook this event).
  if (Date.parse(event.at) < Date.parse(machine.statusSince)) return { plan, complete: true };
  if (machine.status === event.status && machine.statusSince === event.at) return { plan, complete: true };
  return {
    plan: {
      ...plan,
      machines: plan.machines.map((m) => (m === machine ? { ...m, status: event.status, statusSince: event.at } : m)),
    },
    complete: true,
  };
}

export function applyWorkOrderUpdate(
  plan: FloorPlan,
  event: LiveEventPayload<"work_order.updated">,
  at: string,
): Patched {
  const machine = plan.machines.find((m) => m.queue.some((o) => o.id === event.workOrderId));
  // Not on screen yet, or moved to another machine: only a refetch knows its details.
  if (!machine || machine.id !== event.machineId) return { plan, complete: false };
  const order = machine.queue.find((o) => o.id === event.workOrderId) as FloorOrder;
  let queue: FloorOrder[];
  if (event.status === "done" || event.status === "cancelled") {
    queue = machine.queue.filter((o) => o !== order);
  } else if (event.status === "running") {
    const started = {
      ...order,
      status: "running" as const,
      startedAt: order.startedAt ?? at,
      sequence: event.sequence,
    };
    queue = [started, ...machine.queue.filter((o) => o !== order)];
  } else {
    queue = machine.queue.map((o) => (o === order ? { ...o, status: event.status, sequence: event.sequence } : o));
  }
  return {
    plan: { ...plan, machines: plan.machines.map((m) => (m === machine ? { ...m, queue } : m)) },
    complete: true,
  };
}

/** Whether a re-plan touches any of these machines (so the person looking at them hears of it). */
export function planTouches(event: LiveEventPayload<"plan.updated">, machineIds: ReadonlySet<number>): boolean {
  if (machineIds.has(event.reason.machineId)) return true;
  return (
    event.moves.some(
      (m) =>
        (m.fromMachineId !== null && machineIds.has(m.fromMachineId)) ||
        (m.toMachineId !== null && machineIds.has(m.toMachineId)),
    ) || event.machines.some((m) => machineIds.has(m.machineId))
  );
}
