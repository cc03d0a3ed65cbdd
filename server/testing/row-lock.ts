import pg from "pg";
import { env } from "../env";

// Another session that holds row locks, the way a slow transaction elsewhere
// in the factory would: the code under test must wait for it, then give up.

export type HeldLock = { pid: number; release: () => Promise<void> };

/** Opens its own connection, BEGINs and runs `sql` (a SELECT ... FOR UPDATE), keeping the transaction open. */
export async function holdRowLock(sql: string, values: unknown[] = []): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL, application_name: "erp-test-lock-holder" });
  await client.connect();
  await client.query("BEGIN");
  const locked = await client.query(sql, values);
  if (locked.rowCount === 0) {
    await client.end();
    throw new Error(`holdRowLock: "${sql}" locked no row`);
  }
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  let released = false;
  return {
    pid: rows[0]?.pid ?? -1,
    release: async () => {
      if (released) return;
      released = true;
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

/** Resolves once `count` sessions of this database are waiting for a lock `holder` has. */
export async function waitForLockWaiters(holder: HeldLock, count = 1, timeoutMs = 4000): Promise<void> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))",
        [holder.pid],
      );
      if ((rows[0]?.n ?? 0) >= count) return;
      if (Date.now() > deadline) throw new Error(`no ${count} session(s) waited for the lock within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await client.end();
  }
}
