import { prisma } from "../db";
import { orderTotal, type PurchaseOrderStatus, type PurchaseOrderView } from "./get-purchase-order-or-throw";

export type PurchaseOrderSummary = Omit<PurchaseOrderView, "lines" | "attempts"> & { lineCount: number };

/** The newest orders first, optionally of one status or one supplier. */
export async function listPurchaseOrders({
  status,
  supplierId,
  limit,
}: {
  status?: PurchaseOrderStatus;
  supplierId?: number;
  limit: number;
}): Promise<PurchaseOrderSummary[]> {
  const rows = await prisma().purchaseOrder.findMany({
    where: { status, supplierId },
    include: {
      supplier: { select: { id: true, name: true, riskLevel: true } },
      creator: { select: { username: true } },
      lines: { select: { qty: true, unitPrice: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: Math.min(limit, 200),
  });
  return rows.map((row) => ({
    id: row.id,
    status: row.status as PurchaseOrderStatus,
    supplierId: row.supplierId,
    supplier: row.supplier,
    lineCount: row.lines.length,
    total: orderTotal(row.lines),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.creator.username,
    sentAt: row.sentAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    failureReason: row.failureReason,
    supplierReference: row.supplierReference,
  }));
}
