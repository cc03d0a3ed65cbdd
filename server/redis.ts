import { Redis } from "ioredis";
import { env } from "./env";

const globalForRedis = globalThis as unknown as { erpRedis?: Redis };

/** The process's Redis connection; every key gets REDIS_PREFIX in front. */
export function redis(): Redis {
  if (!globalForRedis.erpRedis) {
    const settings = env();
    globalForRedis.erpRedis = new Redis(settings.REDIS_URL, {
      keyPrefix: settings.REDIS_PREFIX,
      // Fail a command quickly instead of queueing it forever while Redis is down.
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      connectTimeout: 2000,
    });
    globalForRedis.erpRedis.on("error", () => {});
  }
  return globalForRedis.erpRedis;
}

export async function closeRedis(): Promise<void> {
  await globalForRedis.erpRedis?.quit().catch(() => {});
  globalForRedis.erpRedis = undefined;
}
