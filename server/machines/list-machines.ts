import type { Principal } from "../auth/roles";
import { prisma } from "../db";

export type MachineView = {
  id: number;
  code: string;
  name: string;
  workCenterId: number;
  status: string;
  capabilities: string[];
  statusSince: string;
};

/** Machines the caller may see: an operator sees their own work center's only. */
export async function listMachines({ principal }: { principal: Principal }): Promise<MachineView[]> {
  const rows = await prisma().machine.findMany({
    where: principal.role === "operator" ? { workCenterId: principal.workCenterId ?? -1 } : undefined,
    orderBy: [{ workCenterId: "asc" }, { code: "asc" }],
  });
  return rows.map((m) => ({
    id: m.id,
    code: m.code,
    name: m.name,
    workCenterId: m.workCenterId,
    status: m.status,
    capabilities: m.capabilities,
    statusSince: m.statusSince.toISOString(),
  }));
}
