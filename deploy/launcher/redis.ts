import { Redis } from "ioredis";
import { log } from "./log";
import { freePort } from "./ports";
import type { Supervisor } from "./processes";
import { findExecutable } from "./which";

export type RedisChoice = { redisUrl: string; description: string };

const LOCAL_REDIS = "redis://127.0.0.1:6379";

/**
 * No npm package ships a Redis server, so: REDIS_URL when given; else a Redis
 * already answering on 127.0.0.1:6379; else a redis-server from PATH that we
 * start (and the supervisor stops); else a clear message saying how to get one.
 */
export async function resolveRedis({
  redisUrl,
  supervisor,
}: {
  redisUrl?: string;
  supervisor: Supervisor;
}): Promise<RedisChoice> {
  if (redisUrl) {
    if (!(await answersPing(redisUrl))) log(`warning: REDIS_URL does not answer PING yet; using it anyway`);
    return { redisUrl, description: `Redis at ${new URL(redisUrl).host} (from REDIS_URL)` };
  }
  if (await answersPing(LOCAL_REDIS)) {
    return { redisUrl: LOCAL_REDIS, description: "Redis already running on 127.0.0.1:6379" };
  }
  const binary = findExecutable("redis-server");
  if (!binary) {
    throw new Error(
      "Redis is needed and none was found: REDIS_URL is not set, nothing answers on 127.0.0.1:6379, and redis-server is not on PATH.\n" +
        "Install it (Debian/Ubuntu): apt-get install -y redis-server\n" +
        "or point the launcher at one: REDIS_URL=redis://host:6379 npm start",
    );
  }
  const port = await freePort();
  // Idempotency keys and rate limits are short-lived and PostgreSQL holds the
  // durable truth, so this demo Redis keeps nothing on disk.
  supervisor.start({
    name: "redis",
    command: binary,
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await answersPing(url)) {
      log(`started redis-server on 127.0.0.1:${port}`);
      return { redisUrl: url, description: `redis-server started by the launcher on 127.0.0.1:${port}` };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s (see the [redis] lines above)`);
}

async function answersPing(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
