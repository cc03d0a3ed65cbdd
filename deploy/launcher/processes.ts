import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { prefix } from "./log";

export type ProcessSpec = {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
};

type Tracked = { spec: ProcessSpec; child: ChildProcess; exited: Promise<void>; oneShot: boolean };

/**
 * The launcher's child processes: the web server now; the realtime server,
 * workers and simulators as they arrive. Each runs in its own process group,
 * so that Ctrl-C on the terminal reaches only the launcher, which then stops
 * them in reverse start order (apps before the Redis they use), and so that a
 * child's own children (Next's build workers) are stopped with it.
 */
export class Supervisor {
  private readonly tracked: Tracked[] = [];
  private stopping = false;

  /** Called when a long-running child exits while nobody asked it to. */
  constructor(private readonly onUnexpectedExit: (name: string, code: number | null, signal: string | null) => void) {}

  /** Starts a process that should run until the launcher stops. */
  start(spec: ProcessSpec): ChildProcess {
    return this.spawnTracked(spec, false).child;
  }

  /** Runs a process to completion (a build, a migration) and gives its exit code. */
  async run(spec: ProcessSpec): Promise<number> {
    const tracked = this.spawnTracked(spec, true);
    await tracked.exited;
    return tracked.child.exitCode ?? 1;
  }

  isStopping(): boolean {
    return this.stopping;
  }

  /** SIGTERM to each process group, newest first; SIGKILL after graceMs. */
  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    // Everyone hears SIGTERM at once (newest first), so one slow process does
    // not leave the others running unsignalled if the launcher is cut short.
    const all = [...this.tracked].reverse();
    for (const tracked of all) if (tracked.child.pid !== undefined) signalGroup(tracked.child.pid, "SIGTERM");
    for (const tracked of all) {
      await stopGroup(tracked, graceMs);
    }
  }

  private spawnTracked(spec: ProcessSpec, oneShot: boolean): Tracked {
    if (this.stopping) throw new Error(`not starting ${spec.name}: the launcher is stopping`);
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    pipeLines(child.stdout, process.stdout, spec.name);
    pipeLines(child.stderr, process.stderr, spec.name);
    const exited = new Promise<void>((resolve) => {
      child.once("error", (error) => {
        process.stderr.write(`${prefix(spec.name)}could not start ${spec.command}: ${error.message}\n`);
        resolve();
      });
      child.once("exit", () => resolve());
    });
    const tracked: Tracked = { spec, child, exited, oneShot };
    this.tracked.push(tracked);
    void exited.then(() => {
      this.tracked.splice(this.tracked.indexOf(tracked), 1);
      if (!oneShot && !this.stopping) this.onUnexpectedExit(spec.name, child.exitCode, child.signalCode);
    });
    return tracked;
  }
}

function pipeLines(from: NodeJS.ReadableStream | null, to: NodeJS.WriteStream, name: string): void {
  if (!from) return;
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    to.write(`${prefix(name)}${line}\n`);
  });
}

async function stopGroup(tracked: Tracked, graceMs: number): Promise<void> {
  const pgid = tracked.child.pid;
  if (pgid === undefined) return;
  signalGroup(pgid, "SIGTERM");
  if (await groupGoneWithin(pgid, graceMs)) return;
  process.stderr.write(`${prefix(tracked.spec.name)}still running after ${graceMs} ms: SIGKILL\n`);
  signalGroup(pgid, "SIGKILL");
  await groupGoneWithin(pgid, 2000);
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group has exited
  }
}

// Polls the group rather than waiting for the leader's exit event: the leader
// may be gone while one of its children still holds a port.
async function groupGoneWithin(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!signalGroup(pgid, 0)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !signalGroup(pgid, 0);
}
