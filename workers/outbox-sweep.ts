// The periodic sweep (deploy/systemd/erp-outbox-sweep.timer): delivers every
// outbox message that is due, then exits. A safety net beside the running
// workers, and enough on its own to keep the outbox moving if none runs.
process.env.ERP_SERVICE ??= "outbox-sweep";

import { closeDb } from "../server/db";
import { logger } from "../server/logger";
import { pruneDeliveredMessages } from "../server/outbox/prune-delivered-messages";
import { OutboxRelay } from "../server/outbox/relay";
import { outboxSettings } from "../server/outbox/settings";
import { closeRedis } from "../server/redis";

const maxSeconds = Number(process.env.OUTBOX_SWEEP_MAX_SECONDS ?? 240);
const retentionDays = Number(process.env.OUTBOX_RETENTION_DAYS ?? 7);
const relay = new OutboxRelay(outboxSettings());
let exitCode = 0;
try {
  const deadline = Date.now() + maxSeconds * 1000;
  const { delivered } = await relay.drain({ deadline });
  // Housekeeping with whatever time is left: delivered rows past retention.
  const { deleted } = await pruneDeliveredMessages({ retentionDays, deadline });
  logger.info({ delivered, pruned: deleted }, "outbox sweep finished");
} catch (error) {
  logger.error({ err: error }, "outbox sweep failed");
  exitCode = 1;
}
await closeRedis();
await closeDb();
process.exit(exitCode);
