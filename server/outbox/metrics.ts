import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { pool } from "../db";

// The outbox as Prometheus sees it. Pending and lag are read from the
// database when scraped, so every worker reports the same truth; the
// counters are this worker's own.
export const outboxRegistry = new Registry();

export const deliveredTotal = new Counter({
  name: "outbox_delivered_total",
  help: "Outbox messages delivered, by event type.",
  labelNames: ["event_type"],
  registers: [outboxRegistry],
});

export const failedTotal = new Counter({
  name: "outbox_failed_total",
  help: "Failed delivery attempts, by event type and what followed (retry, failed for good, dead-lettered).",
  labelNames: ["event_type", "outcome"],
  registers: [outboxRegistry],
});

export const deliveryDuration = new Histogram({
  name: "outbox_delivery_duration_seconds",
  help: "Time to deliver one external message, or one batch of live events.",
  labelNames: ["kind"],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [outboxRegistry],
});

export const commitToDeliveryLag = new Histogram({
  name: "outbox_commit_to_delivery_seconds",
  help: "From the outbox row's commit to its delivery.",
  labelNames: ["kind"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120, 600],
  registers: [outboxRegistry],
});

new Gauge({
  name: "outbox_pending",
  help: "Messages waiting for delivery (not delivered, not dead-lettered).",
  registers: [outboxRegistry],
  async collect() {
    const { rows } = await pool().query<{ n: string }>(
      "SELECT count(*) AS n FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL",
    );
    this.set(Number(rows[0]?.n ?? 0));
  },
});

new Gauge({
  name: "outbox_lag_seconds",
  help: "Age of the oldest message waiting for delivery.",
  registers: [outboxRegistry],
  async collect() {
    const { rows } = await pool().query<{ lag: number | null }>(
      `SELECT extract(epoch FROM now() - min(created_at))::float8 AS lag
       FROM outbox_messages WHERE processed_at IS NULL AND dead_lettered_at IS NULL`,
    );
    this.set(rows[0]?.lag ?? 0);
  },
});

new Gauge({
  name: "outbox_dead_lettered",
  help: "Messages in the dead-letter state, waiting for an admin.",
  registers: [outboxRegistry],
  async collect() {
    const { rows } = await pool().query<{ n: string }>(
      "SELECT count(*) AS n FROM outbox_messages WHERE dead_lettered_at IS NOT NULL",
    );
    this.set(Number(rows[0]?.n ?? 0));
  },
});
