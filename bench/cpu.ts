import { readdir, readFile } from "node:fs/promises";

// Where the CPU goes during a phase, read from /proc (Linux only): the two
// cores are shared by the load generator, Node and PostgreSQL, so CPU time
// per answer says more about what limits the rate than the rate itself.
// A process that exits during the phase (pgbench's backends) is lost from
// its group and shows up under "other", which also holds everyone else's
// work on this machine.

const ticksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on.

type Snapshot = { at: number; busy: number; total: number; byPid: Map<number, { group: string; ticks: number }> };

export type CpuSplit = {
  /** Share of both cores that was busy, 0..1. */
  busyShare: number;
  /** CPU milliseconds per successful answer, by group, plus everything else. */
  msPerOk: Record<string, number>;
};

async function machineTicks(): Promise<{ busy: number; total: number }> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n", 1)[0] ?? "";
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
}

export async function cpuSnapshot(
  classify: (pid: number, comm: string, pgrp: number) => string | null,
): Promise<Snapshot> {
  const byPid = new Map<number, { group: string; ticks: number }>();
  for (const name of await readdir("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    if (!stat) continue;
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // fields[0] is state (field 3): pgrp is field 5, utime 14, stime 15.
    const group = classify(pid, comm, Number(fields[2]));
    if (group) byPid.set(pid, { group, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return { at: performance.now(), ...(await machineTicks()), byPid };
}

/**
 * The split between two snapshots taken while the load ran at `perSecond`
 * successful answers a second: CPU time over the answers of that window.
 */
export function cpuSplit(start: Snapshot, end: Snapshot, perSecond: number): CpuSplit {
  const ok = (perSecond * (end.at - start.at)) / 1000;
  const groups: Record<string, number> = {};
  for (const [pid, { group, ticks }] of end.byPid) {
    groups[group] = (groups[group] ?? 0) + ticks - (start.byPid.get(pid)?.ticks ?? 0);
  }
  const busy = end.busy - start.busy;
  const attributed = Object.values(groups).reduce((a, b) => a + b, 0);
  groups.other = Math.max(0, busy - attributed);
  const msPerOk: Record<string, number> = {};
  for (const [group, ticks] of Object.entries(groups)) {
    msPerOk[group] = ok > 0 ? Number(((ticks * 1000) / ticksPerSecond / ok).toFixed(3)) : 0;
  }
  msPerOk.total = ok > 0 ? Number(((busy * 1000) / ticksPerSecond / ok).toFixed(3)) : 0;
  return { busyShare: Number((busy / Math.max(1, end.total - start.total)).toFixed(3)), msPerOk };
}
