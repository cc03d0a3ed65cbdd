import { pool } from "../db";
import { AppError } from "../errors";
import { supplierDeliveryAggregate } from "../purchasing/get-purchase-order-or-throw";
import type { RiskFigures } from "./score-risk";

// One statement reads everything the model needs about a supplier (see
// score-risk.ts for what each figure means). Failed sending is read from
// delivery_attempts, the outbox's durable history: a dead-lettered message
// leaves an attempt with outcome 'dead_lettered' there, and that row stays
// after the outbox row is pruned or re-queued.
const figuresSql = `
  WITH s AS (SELECT id, name, lead_time_days FROM suppliers WHERE id = $1),
  orders AS (
    SELECT po.id, po.status, po.created_at,
           po.created_at + make_interval(days => s.lead_time_days) AS due_at,
           (SELECT min(gr.created_at) FROM goods_receipts gr WHERE gr.purchase_order_id = po.id) AS first_receipt_at,
           (po.status = 'FAILED' OR EXISTS (
              SELECT 1 FROM delivery_attempts da
              WHERE da.aggregate_type = $4 AND da.aggregate_id = po.id::text
                AND da.outcome IN ('failed', 'dead_lettered'))) AS failed
    FROM purchase_orders po JOIN s ON s.id = po.supplier_id
    WHERE po.created_at > $3::timestamptz - make_interval(days => $2) AND po.created_at <= $3::timestamptz
  ),
  supplied AS (
    SELECT DISTINCT l.item_id
    FROM purchase_order_lines l JOIN purchase_orders po ON po.id = l.purchase_order_id
    WHERE po.supplier_id = $1 AND po.status <> 'FAILED'
      AND po.created_at > $3::timestamptz - make_interval(days => $2) AND po.created_at <= $3::timestamptz
  ),
  open_value AS (
    SELECT po.supplier_id, sum((l.qty - l.received_qty) * l.unit_price) AS value
    FROM purchase_orders po JOIN purchase_order_lines l ON l.purchase_order_id = po.id
    WHERE po.status IN ('PENDING', 'SENT', 'ACKNOWLEDGED')
    GROUP BY po.supplier_id
  )
  SELECT s.name, s.lead_time_days,
    (SELECT count(*) FROM orders)::int AS orders_in_window,
    (SELECT count(*) FROM orders
      WHERE first_receipt_at IS NOT NULL
         OR (due_at < $3::timestamptz AND status IN ('PENDING', 'SENT', 'ACKNOWLEDGED')))::int AS deliveries_due,
    (SELECT count(*) FROM orders WHERE first_receipt_at <= due_at)::int AS delivered_on_time,
    (SELECT coalesce(array_agg(extract(epoch FROM first_receipt_at - created_at)::float8 / 86400 ORDER BY created_at), '{}')
       FROM orders WHERE first_receipt_at IS NOT NULL) AS lead_times_days,
    (SELECT count(*) FROM orders WHERE failed)::int AS failed_orders,
    coalesce((SELECT value FROM open_value WHERE supplier_id = s.id), 0)::float8 AS open_order_value,
    coalesce((SELECT sum(value) FROM open_value), 0)::float8 AS all_open_order_value,
    (SELECT count(*) FROM supplied)::int AS items_supplied,
    (SELECT count(*) FROM supplied i WHERE NOT EXISTS (
       SELECT 1 FROM purchase_order_lines l JOIN purchase_orders po ON po.id = l.purchase_order_id
       WHERE l.item_id = i.item_id AND po.supplier_id <> $1 AND po.status <> 'FAILED'
         AND po.created_at > $3::timestamptz - make_interval(days => $2) AND po.created_at <= $3::timestamptz))::int
      AS single_source_items
  FROM s`;

type Row = {
  name: string;
  lead_time_days: number;
  orders_in_window: number;
  deliveries_due: number;
  delivered_on_time: number;
  lead_times_days: number[];
  failed_orders: number;
  open_order_value: number;
  all_open_order_value: number;
  items_supplied: number;
  single_source_items: number;
};

/** The figures of one supplier over the `windowDays` before `now`; 404 when there is no such supplier. */
export async function loadRiskFigures({
  supplierId,
  windowDays,
  now = new Date(),
}: {
  supplierId: number;
  windowDays: number;
  now?: Date;
}): Promise<RiskFigures> {
  const { rows } = await pool().query<Row>(figuresSql, [supplierId, windowDays, now, supplierDeliveryAggregate]);
  const row = rows[0];
  if (!row) throw new AppError("not_found", `Supplier ${supplierId} does not exist.`);
  return {
    supplierId,
    supplierName: row.name,
    promisedLeadTimeDays: row.lead_time_days,
    windowDays,
    ordersInWindow: row.orders_in_window,
    deliveriesDue: row.deliveries_due,
    deliveredOnTime: row.delivered_on_time,
    leadTimesDays: row.lead_times_days,
    failedOrders: row.failed_orders,
    openOrderValue: row.open_order_value,
    allOpenOrderValue: row.all_open_order_value,
    singleSourceItems: row.single_source_items,
    itemsSupplied: row.items_supplied,
  };
}
