import { prisma } from "../db";

export type SupplierView = { id: number; code: string; name: string; country: string | null; riskLevel: string | null };

export async function listSuppliers(): Promise<SupplierView[]> {
  const rows = await prisma().supplier.findMany({ orderBy: { name: "asc" } });
  return rows.map(({ id, code, name, country, riskLevel }) => ({ id, code, name, country, riskLevel }));
}
