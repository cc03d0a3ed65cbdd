import type { z } from "zod";
import { type Db, prisma } from "../db";
import { AppError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import type { purchaseOrderStatus } from "../realtime/events";

type TxClient = Prisma.TransactionClient | Db;

export type PurchaseOrderStatus = z.infer<typeof purchaseOrderStatus>;
export type DeliveryOutcome = "delivered" | "retry" | "failed" | "dead_lettered";

export type PurchaseOrderLineView = {
  lineNo: number;
  itemId: number;
  sku: string;
  name: string;
  unit: string;
  qty: number;
  unitPrice: number;
  receivedQty: number;
};

export type DeliveryAttemptView = {
  at: string;
  attempt: number;
  outcome: DeliveryOutcome;
  error: string | null;
  nextAttemptAt: string | null;
  durationMs: number | null;
};

export type PurchaseOrderView = {
  id: string;
  status: PurchaseOrderStatus;
  supplierId: number;
  supplier: { id: number; name: string; riskLevel: string | null };
  lines: PurchaseOrderLineView[];
  /** Sum of qty × unit price, rounded to 4 decimals (the precision of unit_price). */
  total: number;
  createdAt: string;
  createdBy: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  failureReason: string | null;
  supplierReference: string | null;
  /** Deliveries of the order to the supplier, oldest first. */
  attempts: DeliveryAttemptView[];
};

/** The outbox aggregate under which the relay delivers an order to its supplier. */
export const supplierDeliveryAggregate = "supplier_delivery";

export const purchaseOrderInclude = {
  supplier: { select: { id: true, name: true, riskLevel: true } },
  creator: { select: { username: true } },
  lines: { include: { item: { select: { sku: true, name: true, unit: true } } }, orderBy: { lineNo: "asc" } },
} as const satisfies Prisma.PurchaseOrderInclude;

type PurchaseOrderRow = Prisma.PurchaseOrderGetPayload<{ include: typeof purchaseOrderInclude }>;
type AttemptRow = Prisma.DeliveryAttemptGetPayload<object>;

/** Decimal arithmetic, so that 3 × 0.1 is 0.3 and not 0.30000000000000004. */
export function orderTotal(lines: { qty: number; unitPrice: Prisma.Decimal }[]): number {
  return lines
    .reduce((sum, line) => sum.plus(line.unitPrice.times(line.qty)), new Prisma.Decimal(0))
    .toDecimalPlaces(4)
    .toNumber();
}

export function toPurchaseOrderView(row: PurchaseOrderRow, attempts: AttemptRow[]): PurchaseOrderView {
  return {
    id: row.id,
    status: row.status as PurchaseOrderStatus,
    supplierId: row.supplierId,
    supplier: row.supplier,
    lines: row.lines.map((line) => ({
      lineNo: line.lineNo,
      itemId: line.itemId,
      sku: line.item.sku,
      name: line.item.name,
      unit: line.item.unit,
      qty: line.qty,
      unitPrice: line.unitPrice.toNumber(),
      receivedQty: line.receivedQty,
    })),
    total: orderTotal(row.lines),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.creator.username,
    sentAt: row.sentAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    failureReason: row.failureReason,
    supplierReference: row.supplierReference,
    attempts: attempts.map((a) => ({
      at: a.attemptedAt.toISOString(),
      attempt: a.attempt,
      outcome: a.outcome as DeliveryOutcome,
      error: a.error,
      nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
      durationMs: a.durationMs,
    })),
  };
}

/** One order with its lines and every delivery attempt; 404 when it does not exist. */
export async function getPurchaseOrderOrThrow({
  id,
  db = prisma(),
}: {
  id: string;
  db?: TxClient;
}): Promise<PurchaseOrderView> {
  // One after the other: `db` may be a transaction, whose one connection
  // cannot run two statements at once anyway.
  const row = await db.purchaseOrder.findUnique({ where: { id }, include: purchaseOrderInclude });
  if (!row) throw new AppError("not_found", `Purchase order ${id} does not exist.`);
  const attempts = await db.deliveryAttempt.findMany({
    where: { aggregateType: supplierDeliveryAggregate, aggregateId: id },
    orderBy: { id: "asc" },
  });
  return toPurchaseOrderView(row, attempts);
}
