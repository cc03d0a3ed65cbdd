import type { Redis } from "ioredis";
import { type Faults, type FaultsUpdate, faultsSchema, noFaults } from "./schemas";

// The fault mix lives in Redis, not in memory, so that several portal
// instances on one prefix (or one restarted mid-demo) behave the same way.

function faultsKey(prefix: string): string {
  return `${prefix}faults`;
}

export async function readFaults({ redis, prefix }: { redis: Redis; prefix: string }): Promise<Faults> {
  const stored = await redis.hgetall(faultsKey(prefix));
  const faults: Faults = { ...noFaults };
  for (const name of Object.keys(noFaults) as (keyof Faults)[]) {
    const raw = stored[name];
    if (raw === undefined) continue;
    // A value written by hand that does not fit the schema counts as "no fault".
    const parsed = faultsSchema.shape[name].safeParse(Number(raw));
    if (parsed.success) faults[name] = parsed.data;
  }
  return faults;
}

/** Merges a partial update into the mix in force and returns the whole mix. */
export async function updateFaults({
  redis,
  prefix,
  update,
}: {
  redis: Redis;
  prefix: string;
  update: FaultsUpdate;
}): Promise<Faults> {
  const fields = Object.entries(update)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, String(value)]);
  // One HSET: a partial update merges with the mix in force, atomically.
  if (fields.length > 0) await redis.hset(faultsKey(prefix), Object.fromEntries(fields));
  return readFaults({ redis, prefix });
}

export type FaultOutcome = "fail" | "reject" | "drop_response" | "accept";

/**
 * Rolls the dice for one order. Each rate is its own roll, in this order, so
 * failRate 1 always fails however the others are set; rejectRate applies to
 * what failRate let through, and dropResponseRate to what both let through.
 */
export function rollFault(faults: Faults, random: () => number = Math.random): FaultOutcome {
  if (random() < faults.failRate) return "fail";
  if (random() < faults.rejectRate) return "reject";
  if (random() < faults.dropResponseRate) return "drop_response";
  return "accept";
}
