import { pool } from "../db";
import { redis } from "../redis";

export type Health = { status: "ok" | "degraded"; db: "ok" | "down"; redis: "ok" | "down" };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}

/** Checks each dependency with a short timeout, so a dead one answers fast. */
export async function checkHealth(): Promise<Health> {
  const [db, cache] = await Promise.allSettled([
    withTimeout(pool().query("SELECT 1"), 2000),
    withTimeout(redis().ping(), 2000),
  ]);
  const health: Health = {
    status: "ok",
    db: db.status === "fulfilled" ? "ok" : "down",
    redis: cache.status === "fulfilled" ? "ok" : "down",
  };
  if (health.db === "down" || health.redis === "down") health.status = "degraded";
  return health;
}
