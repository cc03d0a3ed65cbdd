import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { deliverLiveEntries } from "./deliver-live-entries";
import type { LiveEmitter } from "./emit-live-message";
import { liveEventStream } from "./events";
import type { FeederLease } from "./feeder-lease";
import { feederGauge } from "./metrics";
import type { RestoreBarrier } from "./restore-barrier";
import { type RawStreamEntry, type StreamEntry, toStreamEntries } from "./stream-entries";

/** The consumer group of the realtime servers on the `events` stream. */
export const feedGroup = "realtime";

const batchSize = 500;

/**
 * Reads the `events` stream through a consumer group and emits each entry
 * into the Socket.IO adapter, then acknowledges it. Exactly one instance
 * feeds at a time (the one holding the lease): the adapter writes every
 * emitted event to its own stream, which all instances deliver from and
 * reconnecting clients catch up from, so an event emitted by two instances
 * would reach every client twice.
 *
 * An entry is acknowledged only once the adapter has it. A feeder that dies
 * in between leaves it pending in the group under its name; the next feeder
 * claims everything pending when it takes the lease (XAUTOCLAIM), emits it
 * first, then reads on. Clients drop the few events emitted twice that way by
 * their outboxId.
 */
export class LiveEventFeed {
  private stopping = false;
  private loop?: Promise<void>;
  private leading = false;
  private retryOwnPending = false;
  private lastSweep = 0;
  private blockedReading = false;

  constructor(
    private readonly options: {
      /** Acknowledgements, claims and counters. */
      redis: Redis;
      /** Blocking reads only: a connection of its own (same key prefix). */
      reader: Redis;
      lease: FeederLease;
      consumer: string;
      emit: LiveEmitter;
      barrier: RestoreBarrier;
      claimIdleMs: number;
      blockMs: number;
      log: Logger;
    },
  ) {}

  async start(): Promise<void> {
    await this.ensureGroup("$");
    this.loop = this.run();
  }

  /** Finishes the batch in hand, then gives the lease up so that another instance takes over at once. */
  async stop(): Promise<void> {
    this.stopping = true;
    // A blocking read may hold the loop for blockMs: cut it short.
    if (this.blockedReading) this.options.reader.disconnect();
    await this.loop;
    await this.options.lease.release();
    feederGauge.set(0);
  }

  private async run(): Promise<void> {
    const { lease, log } = this.options;
    let failures = 0;
    while (!this.stopping) {
      if (!lease.held) {
        if (this.leading) log.warn("feeder lease lost; no longer feeding");
        this.setLeading(false);
        await sleep(Math.min(500, this.options.blockMs));
        continue;
      }
      try {
        if (!this.leading) await this.takeOver();
        else if (Date.now() - this.lastSweep >= this.options.claimIdleMs)
          await this.claimPending(this.options.claimIdleMs);
        const complete = await this.deliver(await this.read());
        failures = complete ? 0 : failures + 1;
      } catch (error) {
        if (this.stopping) break;
        failures++;
        if (String(error).includes("NOGROUP")) {
          // The stream was deleted (a Redis without persistence restarted,
          // keys were flushed): whatever is in it now is new to us.
          log.warn("events stream or consumer group gone; creating it again");
          await this.ensureGroup("0").catch(() => {});
        } else {
          log.error({ err: error }, "feeding round failed");
        }
      }
      if (failures > 0) await sleep(Math.min(2000, 100 * 2 ** Math.min(failures, 5)));
    }
  }

  private setLeading(leading: boolean) {
    this.leading = leading;
    feederGauge.set(leading ? 1 : 0);
  }

  /** A new feeder first emits what the previous one read and never acknowledged, in stream order. */
  private async takeOver(): Promise<void> {
    const claimed = await this.claimPending(0);
    this.setLeading(true);
    this.options.log.info({ consumer: this.options.consumer, claimed }, "feeding the live event stream");
    await this.forgetIdleConsumers();
  }

  /** Claims every entry pending for at least `minIdleMs`, whoever read it, and emits it. */
  private async claimPending(minIdleMs: number): Promise<number> {
    const { redis, consumer } = this.options;
    this.lastSweep = Date.now();
    let cursor = "0-0";
    let claimed = 0;
    do {
      const [nextCursor, raw] = (await redis.xautoclaim(
        liveEventStream,
        feedGroup,
        consumer,
        minIdleMs,
        cursor,
        "COUNT",
        batchSize,
      )) as [string, RawStreamEntry[]];
      cursor = nextCursor;
      const entries = toStreamEntries(raw);
      claimed += entries.length;
      if (entries.length > 0 && !(await this.deliver(entries))) break;
    } while (cursor !== "0-0" && !this.stopping);
    return claimed;
  }

  /** New entries; after a failed emission, this consumer's own pending ones first. */
  private async read(): Promise<StreamEntry[]> {
    const { reader, consumer, blockMs } = this.options;
    if (this.retryOwnPending) {
      const raw = await reader.xreadgroup(
        "GROUP",
        feedGroup,
        consumer,
        "COUNT",
        batchSize,
        "STREAMS",
        liveEventStream,
        "0",
      );
      const entries = streamsReply(raw);
      if (entries.length > 0) return entries;
      this.retryOwnPending = false;
    }
    this.blockedReading = true;
    try {
      const raw = await reader.xreadgroup(
        "GROUP",
        feedGroup,
        consumer,
        "COUNT",
        batchSize,
        "BLOCK",
        blockMs,
        "STREAMS",
        liveEventStream,
        ">",
      );
      return streamsReply(raw);
    } finally {
      this.blockedReading = false;
    }
  }

  private async deliver(entries: StreamEntry[]): Promise<boolean> {
    if (entries.length === 0) return true;
    const { redis, emit, barrier, log } = this.options;
    const { done, complete } = await deliverLiveEntries({ entries, redis, emit, barrier, log });
    if (done.length > 0) await redis.xack(liveEventStream, feedGroup, ...done);
    if (!complete) this.retryOwnPending = true;
    return complete;
  }

  private async ensureGroup(startAt: "$" | "0"): Promise<void> {
    try {
      // "$" the first time: a new deployment does not replay old history.
      await this.options.redis.xgroup("CREATE", liveEventStream, feedGroup, startAt, "MKSTREAM");
    } catch (error) {
      if (!String(error).includes("BUSYGROUP")) throw error;
    }
  }

  /** Consumers left by earlier feeders (a name per process), once their pending entries are ours. */
  private async forgetIdleConsumers(): Promise<void> {
    const { redis, consumer } = this.options;
    const consumers = (await redis.xinfo("CONSUMERS", liveEventStream, feedGroup)) as (string | number)[][];
    for (const fields of consumers) {
      const info = Object.fromEntries(pairs(fields));
      if (info.name !== consumer && Number(info.pending) === 0) {
        await redis.xgroup("DELCONSUMER", liveEventStream, feedGroup, String(info.name));
      }
    }
  }
}

function streamsReply(raw: unknown): StreamEntry[] {
  const streams = raw as [string, RawStreamEntry[]][] | null;
  return streams?.[0] ? toStreamEntries(streams[0][1]) : [];
}

function pairs(fields: (string | number)[]): [string, string | number][] {
  const out: [string, string | number][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push([String(fields[i]), fields[i + 1] as string | number]);
  return out;
}
