import type { Principal } from "../auth/roles";
import { type Db, prisma } from "../db";
import { AppError } from "../errors";

export type MachineEventView = {
  id: string;
  type: string;
  note: string | null;
  previousStatus: string | null;
  status: string | null;
  reportedBy: number | null;
  at: string;
};

/**
 * A machine's log, newest first: reports from the floor and the work started
 * and finished on it. Who may read it is who may see the machine: an
 * operator of another group gets 403, like for a report.
 */
export async function listMachineEvents({
  machineId,
  principal,
  limit = 50,
  db = prisma(),
}: {
  machineId: number;
  principal: Principal;
  limit?: number;
  db?: Db;
}): Promise<MachineEventView[]> {
  const machine = await db.machine.findUnique({ where: { id: machineId }, select: { workCenterId: true, name: true } });
  if (!machine) throw new AppError("not_found", `Machine ${machineId} does not exist.`);
  if (principal.role === "operator" && principal.workCenterId !== machine.workCenterId) {
    throw new AppError("forbidden", `${machine.name} belongs to another work center.`);
  }
  const rows = await db.machineEvent.findMany({
    where: { machineId },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, type: true, note: true, previousStatus: true, status: true, reportedBy: true, createdAt: true },
  });
  return rows.map(({ id, createdAt, ...row }) => ({ ...row, id: id.toString(), at: createdAt.toISOString() }));
}
