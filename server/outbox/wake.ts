import { env } from "../env";
import { logger } from "../logger";
import { redis } from "../redis";

// How a committed outbox row reaches the relay within milliseconds without
// taxing every writer: after its transaction commits, the writer publishes
// on a Redis channel, and relays subscribed to it wake up. pg_notify inside
// the transaction would do the same job, but NOTIFY serialises commits on a
// global lock (bench/README.md has the figures). A lost wake-up costs only
// latency: the relay also polls on a timer.

/** Channels are not keys: ioredis does not prefix them, so we do. */
export function outboxWakeChannel(): string {
  return `${env().REDIS_PREFIX}outbox:wake`;
}

/** Tells the relays there is work. Never throws and never delays the caller. */
export function wakeOutboxRelay(): void {
  // Off only to measure what the wake-up costs writers (bench/); the relay's poll then does the job.
  if (process.env.OUTBOX_WAKE === "off") return;
  redis()
    .publish(outboxWakeChannel(), "1")
    .catch((error: unknown) =>
      logger.debug({ err: error }, "outbox wake-up not published; the relay's poll will find the message"),
    );
}
