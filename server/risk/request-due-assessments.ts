import { pool } from "../db";
import { wakeOutboxRelay } from "../outbox/wake";
import { type RiskRequest, requestAssessments } from "./request-assessments";

// The worker's schedule: every supplier whose latest assessment is older than
// `refreshHours` (or that was never assessed), and every supplier with an
// order whose promised date has passed since its latest assessment with
// nothing received (a late delivery). Safe to run from several workers at
// once: a supplier with a request waiting gets no second one.
const dueSql = `
  SELECT s.id AS supplier_id,
         CASE WHEN l.at IS NULL OR l.at < now() - make_interval(hours => $1) THEN 'schedule' ELSE 'delivery_late' END
           AS trigger,
         (SELECT count(*) FROM purchase_orders po
          WHERE po.supplier_id = s.id AND po.status IN ('SENT', 'ACKNOWLEDGED', 'PENDING')
            AND po.created_at + make_interval(days => s.lead_time_days) <= now()
            AND po.created_at + make_interval(days => s.lead_time_days) > coalesce(l.at, '-infinity')
            AND NOT EXISTS (SELECT 1 FROM goods_receipts gr WHERE gr.purchase_order_id = po.id))::int AS newly_late
  FROM suppliers s
  LEFT JOIN LATERAL (SELECT max(a.assessed_at) AS at FROM supplier_risk_assessments a WHERE a.supplier_id = s.id) l ON true
  WHERE NOT EXISTS (SELECT 1 FROM supplier_risk_requests r WHERE r.supplier_id = s.id AND r.completed_at IS NULL)`;

export async function requestDueAssessments({ refreshHours }: { refreshHours: number }): Promise<number> {
  const { rows } = await pool().query<{
    supplier_id: number;
    trigger: "schedule" | "delivery_late";
    newly_late: number;
  }>(dueSql, [refreshHours]);
  const requests: RiskRequest[] = rows
    .filter((r) => r.trigger === "schedule" || r.newly_late > 0)
    .map((r) => ({
      supplierId: r.supplier_id,
      trigger: r.trigger,
      reason:
        r.trigger === "schedule"
          ? `latest assessment older than ${refreshHours} h`
          : `${r.newly_late} order${r.newly_late === 1 ? "" : "s"} now past the promised date`,
    }));
  const written = await requestAssessments({ requests });
  if (written.length > 0) wakeOutboxRelay();
  return written.length;
}
