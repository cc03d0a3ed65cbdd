// The realtime process: Socket.IO under /ws/ (behind nginx), feeding each
// live event of the outbox relay's stream to the rooms allowed to hear it.
// Several may run at once (Redis Streams adapter; one feeds at a time).
process.env.ERP_SERVICE ??= "realtime";

import { createServer } from "node:http";
import { closeDb } from "../server/db";
import { env } from "../server/env";
import { logger } from "../server/logger";
import { authenticateSocket } from "../server/realtime/authenticate-socket";
import { realtimeRegistry } from "../server/realtime/metrics";
import { startRealtimeServer } from "../server/realtime/realtime-server";
import { realtimeSettings } from "../server/realtime/settings";
import { closeRedis, redis } from "../server/redis";

const settings = realtimeSettings();
const { REDIS_URL, REDIS_PREFIX } = env();

// A Redis hiccup inside Socket.IO's adapter (storing a session as a socket
// drops) surfaces as an unhandled rejection: log it rather than drop every
// connected tablet by exiting.
process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));

const server = await startRealtimeServer({
  settings,
  redis: redis(),
  redisUrl: REDIS_URL,
  redisPrefix: REDIS_PREFIX,
  authenticate: authenticateSocket,
  log: logger,
});
const url = `http://${settings.REALTIME_HOST}:${server.port}`;
// Plain stdout as well as the log line: the launcher and the tests read it.
console.log(`realtime server listening on ${url}`);
logger.info({ url, path: "/ws/socket.io" }, "realtime server listening");

const metricsServer = createServer(async (req, res) => {
  if (req.url !== "/metrics") {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await realtimeRegistry.metrics();
    res.writeHead(200, { "content-type": realtimeRegistry.contentType }).end(body);
  } catch (error) {
    logger.error({ err: error }, "metrics scrape failed");
    res.writeHead(503).end();
  }
});
if (settings.REALTIME_METRICS_PORT > 0) {
  metricsServer.on("error", (error) => logger.warn({ err: error }, "metrics endpoint not available"));
  metricsServer.listen(settings.REALTIME_METRICS_PORT, settings.REALTIME_METRICS_HOST, () =>
    logger.info(
      { url: `http://${settings.REALTIME_METRICS_HOST}:${settings.REALTIME_METRICS_PORT}/metrics` },
      "metrics endpoint up",
    ),
  );
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "realtime server stopping");
  metricsServer.close();
  await server.close();
  await closeRedis();
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
