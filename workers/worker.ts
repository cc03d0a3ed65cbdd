// The worker process: drains the transactional outbox (supplier deliveries,
// live events, re-plans, supplier risk checks), requests the scheduled risk
// assessments, and serves its Prometheus metrics. Several may run at once.
process.env.ERP_SERVICE ??= "worker";

import { createServer } from "node:http";
import { closeDb } from "../server/db";
import { logger } from "../server/logger";
import { outboxRegistry } from "../server/outbox/metrics";
import { OutboxRelay } from "../server/outbox/relay";
import { outboxSettings } from "../server/outbox/settings";
import { closeRedis } from "../server/redis";
import { riskChain } from "../server/risk/risk-chain";
import { startRiskSchedule } from "../server/risk/risk-schedule";
import { riskSettings } from "../server/risk/risk-settings";

const settings = outboxSettings();
const relay = new OutboxRelay(settings);
const risk = riskSettings();
// Reads the provider list now, so that a bad RISK_PROVIDERS stops the worker at start, not at the first request.
riskChain();
let schedule: { stop(): Promise<void> } | undefined;

const metricsServer = createServer(async (req, res) => {
  if (req.url !== "/metrics") {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await outboxRegistry.metrics();
    res.writeHead(200, { "content-type": outboxRegistry.contentType }).end(body);
  } catch (error) {
    logger.error({ err: error }, "metrics scrape failed");
    res.writeHead(503).end();
  }
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  metricsServer.close();
  await schedule?.stop();
  await relay.stop();
  await closeRedis();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));

await relay.start();
if (risk.RISK_SCHEDULE_INTERVAL_MS > 0) {
  schedule = startRiskSchedule({ intervalMs: risk.RISK_SCHEDULE_INTERVAL_MS, refreshHours: risk.RISK_REFRESH_HOURS });
}
if (settings.WORKER_METRICS_PORT > 0) {
  metricsServer.on("error", (error) => logger.warn({ err: error }, "metrics endpoint not available"));
  metricsServer.listen(settings.WORKER_METRICS_PORT, settings.WORKER_METRICS_HOST, () =>
    logger.info(
      { url: `http://${settings.WORKER_METRICS_HOST}:${settings.WORKER_METRICS_PORT}/metrics` },
      "metrics endpoint up",
    ),
  );
}
