import type { MachineStatus } from "@/server/planning/plan-types";

// Words and times as the planning page shows them. Times are the browser's
// local time: planners read the plan against the clock on the wall.

export const machineStatusWords: Record<MachineStatus, string> = {
  running: "Running",
  idle: "Idle",
  breakdown: "Breakdown",
  material_shortage: "Material shortage",
  maintenance: "Maintenance",
};

/** Machines that take no work: their row is shaded and their bars hatched. */
export const isDown = (status: MachineStatus) =>
  status === "breakdown" || status === "material_shortage" || status === "maintenance";

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const dayAndClock = new Intl.DateTimeFormat("en-GB", { weekday: "short", hour: "2-digit", minute: "2-digit" });

/** "14:30" today, "Thu 14:30" on another day. */
export function formatPlanTime(at: string | number, now: number = Date.now()): string {
  const date = new Date(at);
  return date.toDateString() === new Date(now).toDateString() ? clock.format(date) : dayAndClock.format(date);
}

/** "45 min", "3 h", "2 h 10 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) {
    const days = Math.floor(hours / 24);
    const rest = hours % 24;
    return rest ? `${days} d ${rest} h` : `${days} d`;
  }
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** What the order makes, shortest form first: the product's SKU, else the operation. */
export function orderSubject(order: { operation: string; product: { sku: string } | null }): string {
  return order.product ? `${order.product.sku} · ${order.operation}` : order.operation;
}
