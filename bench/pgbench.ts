import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { LatencyLog, type PhaseResult } from "./stats";

// The database side alone: pgbench sends the statements the route sends, at
// the same client count, with no HTTP, no auth and no Redis.

export const scripts = {
  // Exactly what server/inventory/reserve-stock.ts sends, one line of qty 1.
  "reserve-stock.sql": `\\set item random(:first_item, :last_item)
SELECT reserve_stock('pgbench', jsonb_build_array(jsonb_build_object('itemId', :item::int, 'qty', 1)), :actor_id, gen_random_uuid(), 'pgbench');
`,
  // The same, waking listeners with NOTIFY in the same transaction: what
  // server/outbox/wake.ts chose Redis pub/sub over (NOTIFY takes a global
  // lock from pre-commit to the end of the transaction).
  "reserve-stock-notify.sql": `\\set item random(:first_item, :last_item)
SELECT reserve_stock('pgbench', jsonb_build_array(jsonb_build_object('itemId', :item::int, 'qty', 1)), :actor_id, gen_random_uuid(), 'pgbench'), pg_notify('bench_outbox_wake', '1');
`,
  // The seed article's transaction (lock in id order, check, update, commit),
  // on a copy of the items: it writes no reservation lines (database.ts).
  "seed-transaction.sql": `\\set item random(:first_item, :last_item)
BEGIN;
SET LOCAL lock_timeout = '5s';
SELECT id, sku, stock_qty, reserved_qty FROM bench_seed_items WHERE id IN (:item) ORDER BY id FOR UPDATE;
UPDATE bench_seed_items SET reserved_qty = reserved_qty + 1 WHERE id = :item AND stock_qty - reserved_qty >= 1;
COMMIT;
`,
} as const;

export type ScriptName = keyof typeof scripts;

export async function writeScripts(dir: string): Promise<void> {
  for (const [name, text] of Object.entries(scripts)) await writeFile(path.join(dir, name), text);
}

type PgbenchRun = {
  pgbench: string;
  databaseUrl: string;
  dir: string;
  script: ScriptName;
  clients: number;
  threads: number;
  seconds: number;
  itemIds: number[];
  actorId: number;
  /** Per-transaction log under this prefix; none for a warm-up. */
  logPrefix?: string;
  onStart?: (pid: number) => void;
};

function contiguousRange(ids: number[]): [number, number] {
  const first = ids[0] ?? 0;
  const last = ids[ids.length - 1] ?? 0;
  if (last - first + 1 !== ids.length) throw new Error("pgbench needs the item ids to be contiguous");
  return [first, last];
}

export async function runPgbench(run: PgbenchRun): Promise<{ tps: number; stdout: string; aborted: number }> {
  const [first, last] = contiguousRange(run.itemIds);
  const args = [
    "--no-vacuum",
    "--protocol=prepared",
    `--client=${run.clients}`,
    `--jobs=${run.threads}`,
    `--time=${run.seconds}`,
    `--file=${path.join(run.dir, run.script)}`,
    `--define=first_item=${first}`,
    `--define=last_item=${last}`,
    `--define=actor_id=${run.actorId}`,
    ...(run.logPrefix ? ["--log", `--log-prefix=${run.logPrefix}`] : []),
    run.databaseUrl,
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(run.pgbench, args, { cwd: run.dir, stdio: ["ignore", "pipe", "pipe"] });
      if (child.pid) run.onStart?.(child.pid);
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => {
        out += d;
      });
      child.stderr.on("data", (d) => {
        err += d;
      });
      child.on("error", reject);
      child.on("exit", (c) => resolve({ code: c ?? 1, stdout: out, stderr: err }));
    },
  );
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? Number.NaN);
  const aborted = (stderr.match(/client \d+ .*aborted/g) ?? []).length;
  if (Number.isNaN(tps) || (code !== 0 && aborted === 0)) {
    throw new Error(`pgbench ${run.script} failed (exit ${code}):\n${stderr.slice(-2000)}`);
  }
  return { tps, stdout, aborted };
}

/** Latencies of the committed transactions from pgbench's per-transaction logs. */
export async function readTransactionLog(
  dir: string,
  prefix: string,
): Promise<{ latencies: LatencyLog; failed: number }> {
  const latencies = new LatencyLog();
  let failed = 0;
  const base = path.basename(prefix);
  for (const file of await readdir(dir)) {
    if (!file.startsWith(`${base}.`)) continue;
    for (const line of (await readFile(path.join(dir, file), "utf8")).split("\n")) {
      // client_id transaction_no time script_no time_epoch time_us ...; time in µs or "failed"/"skipped".
      const time = line.split(" ")[2];
      if (time === undefined || time === "") continue;
      const micros = Number(time);
      if (Number.isFinite(micros)) latencies.add(micros / 1000);
      else failed++;
    }
  }
  return { latencies, failed };
}

export function pgbenchResult(
  base: Pick<PhaseResult, "name" | "description" | "seconds" | "clients">,
  tps: number,
  log: { latencies: LatencyLog; failed: number },
  aborted: number,
): PhaseResult {
  const { p50, p99 } = log.latencies.percentiles();
  const failures: Record<string, number> = {};
  if (log.failed) failures.failed = log.failed;
  if (aborted) failures.abortedClients = aborted;
  return { ...base, kind: "pgbench", perSecond: tps, p50Ms: p50, p99Ms: p99, ok: log.latencies.length, failures };
}
