import { redis } from "../redis";

/**
 * Deletes this test file's Redis keys that match `pattern` (after the file's
 * prefix), as if Redis had lost them: a restart without persistence, an
 * eviction, a failover to a replica that had not caught up.
 */
export async function forgetRedisKeys(pattern = "*"): Promise<number> {
  const client = redis();
  const prefix = process.env.REDIS_PREFIX ?? "";
  // KEYS takes the pattern as given, while DEL adds the prefix itself.
  const keys = await client.keys(`${prefix}${pattern}`);
  if (keys.length === 0) return 0;
  return client.del(...keys.map((k) => k.slice(prefix.length)));
}
