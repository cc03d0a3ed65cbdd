import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { AcceptedOrder } from "./schemas";

// Idempotency keys and accepted orders, in Redis under the portal's prefix.
//
// A key first holds an in-flight marker (SET NX), then, once the order is
// taken, the fingerprint and the response for 24 hours. The marker carries a
// random claim id, so only the request that set it can complete or release
// it. Completing the key and appending the order happen in one Lua script:
// a crash cannot leave a key without its order, or an order without its key.

export type StoredResponse = { status: number; body: unknown };

type KeyEntry =
  | { state: "in_flight"; fingerprint: string; claim: string }
  | { state: "completed"; fingerprint: string; response: StoredResponse };

const completedTtlSeconds = 24 * 3600;
// Longer than the longest fault delay (60 s) plus the work itself, but short,
// so that a portal killed mid-request frees the key within minutes instead of
// answering 409 to the caller's retries for a whole day.
const inFlightTtlSeconds = 120;

const acceptScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
return 1`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type Store = { redis: Redis; prefix: string };

const keyOf = (prefix: string, idempotencyKey: string) => `${prefix}key:${idempotencyKey}`;
const ordersKey = (prefix: string) => `${prefix}orders`;

export type Claim =
  | { outcome: "claimed"; marker: string }
  | { outcome: "replay"; response: StoredResponse }
  | { outcome: "in_progress" }
  | { outcome: "reused" };

export async function claimKey({
  redis,
  prefix,
  idempotencyKey,
  fingerprint,
}: Store & { idempotencyKey: string; fingerprint: string }): Promise<Claim> {
  const key = keyOf(prefix, idempotencyKey);
  const marker = JSON.stringify({ state: "in_flight", fingerprint, claim: randomUUID() } satisfies KeyEntry);
  // The entry can vanish between SET NX and GET (a released claim, an expired
  // marker, DELETE /orders): then the key is free and we try to take it again.
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await redis.set(key, marker, "EX", inFlightTtlSeconds, "NX")) === "OK") return { outcome: "claimed", marker };
    const raw = await redis.get(key);
    if (raw === null) continue;
    const entry = JSON.parse(raw) as KeyEntry;
    if (entry.fingerprint !== fingerprint) return { outcome: "reused" };
    if (entry.state === "in_flight") return { outcome: "in_progress" };
    return { outcome: "replay", response: entry.response };
  }
  return { outcome: "in_progress" };
}

/**
 * Stores the response under the key and appends the order, atomically.
 * Returns false when the claim was lost meanwhile (its marker expired or the
 * keys were cleared): then nothing is stored.
 */
export async function acceptOrder({
  redis,
  prefix,
  marker,
  fingerprint,
  response,
  order,
}: Store & { marker: string; fingerprint: string; response: StoredResponse; order: AcceptedOrder }): Promise<boolean> {
  const completed = JSON.stringify({ state: "completed", fingerprint, response } satisfies KeyEntry);
  const stored = await redis.eval(
    acceptScript,
    2,
    keyOf(prefix, order.idempotencyKey),
    ordersKey(prefix),
    marker,
    completed,
    completedTtlSeconds,
    JSON.stringify(order),
  );
  return stored === 1;
}

/** Frees a claimed key without storing anything (the order was refused or failed). */
export async function releaseKey({
  redis,
  prefix,
  idempotencyKey,
  marker,
}: Store & { idempotencyKey: string; marker: string }): Promise<void> {
  await redis.eval(releaseScript, 1, keyOf(prefix, idempotencyKey), marker);
}

export async function listOrders({ redis, prefix }: Store): Promise<AcceptedOrder[]> {
  const raw = await redis.lrange(ordersKey(prefix), 0, -1);
  return raw.map((entry) => JSON.parse(entry) as AcceptedOrder);
}

/** Forgets every accepted order and every stored key (tests and demos). */
export async function clearOrders({ redis, prefix }: Store): Promise<void> {
  const pattern = `${escapeGlob(prefix)}key:*`;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.del(ordersKey(prefix));
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
