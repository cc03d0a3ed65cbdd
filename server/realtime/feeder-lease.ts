import type { Redis } from "ioredis";

// Which realtime instance feeds the stream right now. Several instances in a
// consumer group would each take a share of the events and emit them side by
// side, so two events could reach a client in the other order (a later stock
// level before an earlier one). One feeder at a time keeps the stream's
// order; the consumer group keeps what it has read but not emitted, for its
// successor.

// Take the lease if nobody holds it, extend it if we do.
const acquireOrRenew = `
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const releaseIfHeld = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export const feederLeaseKey = "realtime:feeder-lease";

export class FeederLease {
  private heldUntil = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    readonly owner: string,
    private readonly leaseMs: number,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** True while the lease is surely ours: counted from before we asked Redis, so never past its expiry. */
  get held(): boolean {
    return Date.now() < this.heldUntil;
  }

  /** Tries now, then again every third of the lease. */
  start(): Promise<boolean> {
    this.timer = setInterval(() => void this.refresh(), Math.max(100, Math.floor(this.leaseMs / 3)));
    return this.refresh();
  }

  async refresh(): Promise<boolean> {
    const askedAt = Date.now();
    try {
      const ours = await this.redis.eval(acquireOrRenew, 1, feederLeaseKey, this.owner, this.leaseMs);
      this.heldUntil = ours === 1 ? askedAt + this.leaseMs : 0;
    } catch (error) {
      // Keep what we had until it runs out: a blip must not stop the feed,
      // and nobody else can take the lease before it expires anyway.
      this.onError(error);
    }
    return this.held;
  }

  /** Gives the lease up at once, so that another instance takes over without waiting for it to expire. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    this.heldUntil = 0;
    await this.redis.eval(releaseIfHeld, 1, feederLeaseKey, this.owner).catch(this.onError);
  }
}
