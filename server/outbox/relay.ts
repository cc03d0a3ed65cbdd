import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { logger } from "../logger";
import { redis } from "../redis";
import { claimMessages } from "./claim-messages";
import { processBatch } from "./process-batch";
import type { OutboxSettings } from "./settings";
import { outboxWakeChannel } from "./wake";

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The outbox relay loop: claim a batch, deliver it, repeat while there is
 * work; when there is none, sleep until a writer's wake-up (Redis pub/sub)
 * or the poll interval, whichever comes first. Several relays, in one
 * process or many, share the work through SKIP LOCKED.
 */
export class OutboxRelay {
  readonly workerId: string;
  private readonly log: Logger;
  private subscriber?: Redis;
  private stopping = false;
  private woken = false;
  private wakeWaiter?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly settings: OutboxSettings,
    workerId = newWorkerId(),
  ) {
    this.workerId = workerId;
    this.log = logger.child({ component: "outbox-relay", workerId });
  }

  async start(): Promise<void> {
    this.subscriber = redis().duplicate();
    this.subscriber.on("error", () => {}); // reconnects by itself; polling covers the gap
    this.subscriber.on("message", () => this.wake());
    await this.subscriber.subscribe(outboxWakeChannel()).catch((error: unknown) => {
      this.log.warn(
        { err: error },
        "no wake-ups from Redis for now; polling every %d ms",
        this.settings.OUTBOX_POLL_MS,
      );
    });
    this.loop = this.run();
    this.log.info({ batchSize: this.settings.OUTBOX_BATCH_SIZE }, "outbox relay started");
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    await this.subscriber?.quit().catch(() => {});
    this.log.info("outbox relay stopped");
  }

  /** Delivers everything that is due now, then returns (the systemd sweep). */
  async drain({ deadline }: { deadline: number }): Promise<{ delivered: number }> {
    let delivered = 0;
    while (Date.now() < deadline) {
      const batch = await this.claim();
      if (batch.length === 0) break;
      await processBatch(batch, this.context());
      delivered += batch.length;
    }
    return { delivered };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      let claimed = 0;
      try {
        const batch = await this.claim();
        claimed = batch.length;
        if (claimed > 0) await processBatch(batch, this.context());
      } catch (error) {
        // The database or Redis is away: nothing was lost (the rows stay in
        // the outbox, leases expire); wait a little and try again.
        this.log.error({ err: error }, "relay round failed");
        await this.sleep(Math.min(this.settings.OUTBOX_POLL_MS, 1000));
        continue;
      }
      // A delivered message may have unblocked the next one of its order,
      // or written new live events: look again before sleeping.
      if (claimed > 0 || this.woken) continue;
      await this.sleep(this.settings.OUTBOX_POLL_MS);
    }
  }

  private claim() {
    return claimMessages({
      limit: this.settings.OUTBOX_BATCH_SIZE,
      leaseSeconds: this.settings.OUTBOX_LEASE_SECONDS,
      workerId: this.workerId,
    });
  }

  private context() {
    return { workerId: this.workerId, log: this.log, settings: this.settings };
  }

  private wake(): void {
    this.woken = true;
    this.wakeWaiter?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping || this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeWaiter = () => {
        this.wakeWaiter = undefined;
        done();
      };
    });
  }
}
