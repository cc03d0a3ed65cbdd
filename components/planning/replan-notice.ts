import type { LiveEventPayload } from "@/server/realtime/events";
import type { ToastTone } from "../toast";

type Replan = LiveEventPayload<"plan.updated">;

/** What happened to the machine, as a planner says it; work starting or finishing is no news. */
const happened: Partial<Record<Replan["reason"]["type"], string>> = {
  breakdown: "broke down",
  material_shortage: "ran short of material",
  maintenance: "went into maintenance",
  resume: "resumed",
};

const orders = (n: number) => `${n} ${n === 1 ? "order" : "orders"}`;
const shownMoves = 3;

/**
 * The toast for a re-plan pushed while the planner watches: "Aida 250 t servo
 * press broke down: 2 orders re-routed", with where they went. Orders left
 * waiting for a capable machine make it an alert: someone must act on those.
 * Null for a re-plan that no stop or resume caused.
 */
export function replanNotice(
  replan: Replan,
  machineName: (id: number) => string | undefined,
): { tone: ToastTone; title: string; body?: string } | null {
  const { reason, moves, waiting } = replan;
  const what = happened[reason.type];
  if (!what) return null;
  const machine = machineName(reason.machineId) ?? `Machine ${reason.machineId}`;
  const resumed = reason.type === "resume";
  const outcome =
    moves.length === 0
      ? resumed
        ? "the plan stays as it is"
        : "no orders to re-route"
      : resumed
        ? `${orders(moves.length)} moved to it`
        : `${orders(moves.length)} re-routed`;
  const title = `${machine} ${what}: ${outcome}`;

  const lines = moves.slice(0, shownMoves).map((move) => {
    const to =
      move.toMachineId === null ? "no machine" : (machineName(move.toMachineId) ?? `machine ${move.toMachineId}`);
    return `${move.code} → ${to}`;
  });
  if (moves.length > shownMoves) lines.push(`and ${moves.length - shownMoves} more`);
  if (waiting.length > 0) lines.push(`${orders(waiting.length)} waiting: no capable machine available`);

  const tone: ToastTone = waiting.length > 0 ? "error" : resumed ? "success" : "info";
  return { tone, title, body: lines.length ? lines.join("; ") : undefined };
}
