import { createHash } from "node:crypto";
import { AppError } from "../errors";
import { redis } from "../redis";

// Idempotency keys for POSTs that create something. Redis holds, per key, the
// request's fingerprint and, once the first request has finished, its
// response, for 24 hours. While the first request runs the key holds an
// in-flight marker with a short expiry, so a crash mid-request does not
// block the key for a day. The database's unique constraints on the created
// rows are the durable backstop for when Redis has lost a key.

const completedTtlSeconds = 24 * 3600;
const inFlightTtlSeconds = 60;

export type StoredResponse = { status: number; body: unknown; headers?: Record<string, string> };

type Entry =
  | { state: "in_flight"; fingerprint: string }
  | { state: "completed"; fingerprint: string; response: StoredResponse };

export type IdempotencyScope = { scope: string; key: string };

/** A stable fingerprint of a JSON body: key order and whitespace do not matter. */
export function fingerprintBody(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function redisKey({ scope, key }: IdempotencyScope): string {
  return `idem:${scope}:${key}`;
}

/**
 * Claims the key for this request. Returns "claimed" when the caller should
 * run the request, or the stored response of the first request with this
 * key. Throws 422 when the key was used for another body, 409 while the
 * first request is still running.
 */
export async function claimIdempotencyKey(
  id: IdempotencyScope & { fingerprint: string },
): Promise<{ outcome: "claimed" } | { outcome: "replay"; response: StoredResponse }> {
  const k = redisKey(id);
  const marker: Entry = { state: "in_flight", fingerprint: id.fingerprint };
  const set = await redis().set(k, JSON.stringify(marker), "EX", inFlightTtlSeconds, "NX");
  if (set === "OK") return { outcome: "claimed" };

  const raw = await redis().get(k);
  if (raw === null) {
    // The first request's marker expired between our SET and GET: claim again.
    return claimIdempotencyKey(id);
  }
  const entry = JSON.parse(raw) as Entry;
  if (entry.fingerprint !== id.fingerprint) {
    throw new AppError(
      "idempotency_key_reused",
      "This Idempotency-Key was already used with a different request body. Send a new key for a new request.",
    );
  }
  if (entry.state === "in_flight") {
    throw new AppError(
      "idempotency_in_progress",
      "A request with this Idempotency-Key is still being processed. Retry after it has finished.",
      {},
      1,
    );
  }
  return { outcome: "replay", response: entry.response };
}

/** Stores the first request's response for replays. */
export async function completeIdempotencyKey(
  id: IdempotencyScope & { fingerprint: string; response: StoredResponse },
): Promise<void> {
  const entry: Entry = { state: "completed", fingerprint: id.fingerprint, response: id.response };
  await redis().set(redisKey(id), JSON.stringify(entry), "EX", completedTtlSeconds);
}

/** Frees the key after a failure that the client may retry (5xx, lock timeout). */
export async function releaseIdempotencyKey(id: IdempotencyScope): Promise<void> {
  await redis().del(redisKey(id));
}
