import { describe, expect, it } from "vitest";
import { pool, prisma } from "../db";
import { supplierDeliveryAggregate } from "../purchasing/get-purchase-order-or-throw";
import { loadRiskFigures } from "../risk/load-risk-figures";
import { riskSettings } from "../risk/risk-settings";
import { scoreRisk } from "../risk/score-risk";
import { demoItems, demoSuppliers } from "./demo-data";
import { seedDemoData } from "./seed-demo-data";

// The demo factory on a fresh database: its purchasing history gives the
// suppliers distinct risk levels under the built-in model, leaves the worker
// nothing to send, and keeps the ledger explaining every item's stock.

describe("the demo seed", () => {
  it("seeds once, with a purchasing history that scores the suppliers apart", async () => {
    expect(await seedDemoData()).toEqual({ seeded: true });

    const { RISK_WINDOW_DAYS: windowDays } = riskSettings();
    const suppliers = await prisma().supplier.findMany({ orderBy: { id: "asc" } });
    const scores: Record<string, { score: number; level: string }> = {};
    for (const supplier of suppliers) {
      const { score, level } = scoreRisk(await loadRiskFigures({ supplierId: supplier.id, windowDays }));
      scores[supplier.code] = { score, level };
    }
    // Reliable, mediocre, poor; the small ones reliable; Vertex has no history at all.
    expect(Object.fromEntries(Object.entries(scores).map(([code, s]) => [code, s.level]))).toEqual({
      NST: "low",
      ANA: "medium",
      KBF: "high",
      VTX: "low",
      IBP: "low",
      MES: "low",
    });
    expect(scores.VTX?.score).toBe(0);
    // The levels the demo data already shows before the first assessment agree with the model.
    for (const s of demoSuppliers) if (s.riskLevel) expect(scores[s.code]?.level, s.code).toBe(s.riskLevel);

    // Nothing for the worker to deliver: every message of the history is processed, none dead-lettered.
    const outbox = await pool().query<{ pending: number; dead: number; orders: number; messages: number }>(
      `SELECT (SELECT count(*) FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL)::int AS pending,
              (SELECT count(*) FROM outbox_messages WHERE dead_lettered_at IS NOT NULL)::int AS dead,
              (SELECT count(*) FROM purchase_orders)::int AS orders,
              (SELECT count(*) FROM outbox_messages WHERE aggregate_type = $1)::int AS messages`,
      [supplierDeliveryAggregate],
    );
    expect(outbox.rows[0]).toMatchObject({ pending: 0, dead: 0 });
    expect(outbox.rows[0]?.messages).toBe(outbox.rows[0]?.orders);
    const pendingOrders = await prisma().purchaseOrder.count({ where: { status: "PENDING" } });
    expect(pendingOrders).toBe(0);

    // Every receipt is in the past and books exactly what its order says.
    const receipts = await pool().query<{ future: number; mismatched: number; unreceived: number }>(
      `SELECT (SELECT count(*) FROM goods_receipts WHERE created_at > now())::int AS future,
              (SELECT count(*) FROM purchase_order_lines l JOIN purchase_orders po ON po.id = l.purchase_order_id
                WHERE (po.status = 'RECEIVED') <> (l.received_qty = l.qty))::int AS mismatched,
              (SELECT count(*) FROM purchase_orders po WHERE po.status = 'RECEIVED'
                AND NOT EXISTS (SELECT 1 FROM goods_receipts gr WHERE gr.purchase_order_id = po.id))::int AS unreceived`,
    );
    expect(receipts.rows[0]).toEqual({ future: 0, mismatched: 0, unreceived: 0 });

    // The ledger explains the stock: in id order, from the opening balance through the receipts.
    const items = await prisma().inventoryItem.findMany({ include: { movements: { orderBy: { id: "asc" } } } });
    const stockBySku = new Map(demoItems.map(([sku, , , stockQty]) => [sku, stockQty]));
    for (const item of items) {
      expect(item.stockQty, item.sku).toBe(stockBySku.get(item.sku));
      let stock = 0;
      let previous = 0;
      for (const m of item.movements) {
        expect(m.kind, item.sku).toBe("receipt");
        stock += m.qty;
        expect(m.stockAfter, `${item.sku} movement ${m.id}`).toBe(stock);
        expect(m.createdAt.getTime(), `${item.sku} movement ${m.id} in time order`).toBeGreaterThanOrEqual(previous);
        previous = m.createdAt.getTime();
      }
      expect(stock, item.sku).toBe(item.stockQty);
    }

    // A second run leaves everything as it is.
    const before = await prisma().purchaseOrder.count();
    expect(await seedDemoData()).toEqual({ seeded: false });
    expect(await prisma().purchaseOrder.count()).toBe(before);
  });
});
