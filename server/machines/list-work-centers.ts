import { type Db, prisma } from "../db";

export type WorkCenterView = { id: number; code: string; name: string };

/** Every work center (the groups operators belong to), in id order: names are not secret, machines are. */
export async function listWorkCenters({ db = prisma() }: { db?: Db } = {}): Promise<WorkCenterView[]> {
  return db.workCenter.findMany({ select: { id: true, code: true, name: true }, orderBy: { id: "asc" } });
}
