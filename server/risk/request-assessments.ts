import { type Db, prisma } from "../db";
import type { Prisma } from "../generated/prisma/client";

// Asking the worker for assessments. One statement writes the requests and
// their outbox messages together (so it needs no transaction of its own, and
// joins the caller's when given one). A supplier that already has a request
// waiting gets no second one: the partial unique index on waiting requests
// turns the insert into nothing, and the waiting request answers both.

export const riskRequestedEvent = "supplier.risk_requested";
export const riskAggregateType = "supplier_risk";

export type RiskTrigger = "request" | "schedule" | "delivery_failed" | "delivery_late" | "order_to_high_risk";

export type RiskRequest = {
  supplierId: number;
  trigger: RiskTrigger;
  reason?: string | null;
  requestedBy?: number | null;
};

type DbClient = Db | Prisma.TransactionClient;

const requestSql = `
  WITH wanted AS (
    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::int[]) AS w (supplier_id, trigger, reason, requested_by)
  ),
  inserted AS (
    INSERT INTO supplier_risk_requests (supplier_id, trigger, reason, requested_by)
    SELECT supplier_id, trigger, reason, requested_by FROM wanted
    ON CONFLICT (supplier_id) WHERE started_at IS NULL DO NOTHING
    RETURNING id, supplier_id, requested_at
  ),
  queued AS (
    INSERT INTO outbox_messages (aggregate_type, aggregate_id, event_type, payload)
    SELECT $5, supplier_id::text, $6, jsonb_build_object('requestId', id::text, 'supplierId', supplier_id)
    FROM inserted
  )
  SELECT id::text AS "requestId", supplier_id AS "supplierId", requested_at AS "requestedAt" FROM inserted`;

/** Writes the requests that no waiting one covers; returns those written. */
export async function requestAssessments({
  db = prisma(),
  requests,
}: {
  db?: DbClient;
  requests: RiskRequest[];
}): Promise<{ requestId: string; supplierId: number; requestedAt: Date }[]> {
  if (requests.length === 0) return [];
  return db.$queryRawUnsafe(
    requestSql,
    requests.map((r) => r.supplierId),
    requests.map((r) => r.trigger),
    requests.map((r) => r.reason ?? null),
    requests.map((r) => r.requestedBy ?? null),
    riskAggregateType,
    riskRequestedEvent,
  );
}
