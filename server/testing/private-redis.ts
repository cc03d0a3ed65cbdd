import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { freePort, ProcessGroup } from "./process-group";

// A redis-server of the test's own, that the test may stop and start again
// on the same port without disturbing the Redis every other test file uses.
//
// It keeps an append-only file, fsynced on every write, and a SIGTERM makes
// it flush and exit: the outage the tests make is Redis going away for a
// while (connections dropped, commands refused), not Redis losing what it
// had acknowledged. Without persistence a restart empties the event stream,
// and a test could no longer tell an event the relay never published from
// one that Redis forgot.

export type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>;

export async function startPrivateRedis() {
  const dir = await mkdtemp(path.join(tmpdir(), "erp-test-redis-"));
  const clients: Redis[] = [];
  let port = 0;
  let server: ProcessGroup | undefined;

  async function launch(): Promise<ProcessGroup> {
    const group = new ProcessGroup(
      `redis-server :${port}`,
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--dir",
        dir,
      ],
      process.env,
    );
    await group.waitForLine(/Ready to accept connections/, 10_000);
    return group;
  }

  // The port was free a moment ago; another process may have taken it since.
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    try {
      server = await launch();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const url = `redis://127.0.0.1:${port}`;

  return {
    url,
    port,
    /** A client of this Redis with the given key prefix; closed by close(). */
    client(keyPrefix: string): Redis {
      const client = new Redis(url, { keyPrefix, maxRetriesPerRequest: 1, connectTimeout: 1000 });
      client.on("error", () => {}); // it reconnects by itself after a restart
      clients.push(client);
      return client;
    },
    /** Stops the server the way systemd would (SIGTERM), and waits until it is gone. */
    async stop(): Promise<void> {
      await server?.stop(10_000);
      server = undefined;
    },
    /** Starts it again on the same port, with what it had written to disk. */
    async start(): Promise<void> {
      if (!server) server = await launch();
    },
    async close(): Promise<void> {
      for (const client of clients.splice(0)) client.disconnect();
      await server?.kill();
      server = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
