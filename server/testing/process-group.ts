import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { waitFor } from "./wait-for";

// A process that a failure test starts, and may kill, in its own process
// group: `tsx` is a launcher that runs the script in a child node process,
// so a SIGKILL to the launcher alone would leave the real worker running;
// every signal goes to the whole group. Every group started here is
// remembered, and stopAllProcesses() (afterEach/afterAll) or, at worst, the
// test process's exit or stop kills it, so none outlives its test.

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const keptLines = 400;

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export class ProcessGroup {
  readonly pid: number;
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private readonly lines: string[] = [];
  private readonly lineWaiters = new Set<() => void>();

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    const child = spawn(command, args, { cwd: repoRoot, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    this.pid = child.pid;
    // Always read the pipes: a child whose pipe fills up blocks on its next log line.
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") continue;
        this.lines.push(line);
        if (this.lines.length > keptLines) this.lines.shift();
      }
      for (const wake of this.lineWaiters) wake();
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => {
      // The launcher's exit; the script it ran may outlive it (see signal()).
      child.on("exit", (code, signal) => {
        this.exit = { code, signal };
        for (const wake of this.lineWaiters) wake();
        resolve(this.exit);
      });
    });
    running.add(this);
  }

  hasExited(): boolean {
    return this.exit !== undefined;
  }

  /** The last lines the process wrote, for failure messages. */
  output(lastLines = 40): string {
    return this.lines.slice(-lastLines).join("\n");
  }

  describe(): string {
    const state = this.exit ? `exited (code ${this.exit.code}, signal ${this.exit.signal})` : "running";
    return `${this.name} (pid ${this.pid}) ${state}; its last output:\n${this.output() || "(none)"}`;
  }

  /** Resolves with the first match of `pattern` in the output. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.lines.map((line) => line.match(pattern)).find(Boolean);
      if (match) return match;
      if (this.exit) throw new Error(`${this.describe()}\n(it never printed ${pattern})`);
      if (Date.now() > deadline)
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${pattern} from ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.lineWaiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 100);
        this.lineWaiters.add(wake);
      });
    }
  }

  /**
   * Sends `signal` to every process of the group. Once the group is empty
   * its id may be given to someone else's process: then nothing is sent.
   * (While any member lives, the kernel does not reuse the id.)
   */
  signal(signal: NodeJS.Signals): void {
    if (this.exit && !groupAlive(this.pid)) {
      running.delete(this);
      return;
    }
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }

  /** SIGKILL to the whole group, then waits until no process of it is left. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.waitUntilGone(10_000);
  }

  /** SIGTERM (a clean shutdown); SIGKILL if the group is still there after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.signal("SIGTERM");
    try {
      await this.waitUntilGone(graceMs);
    } catch {
      await this.kill();
    }
  }

  private async waitUntilGone(timeoutMs: number): Promise<void> {
    await waitFor(`${this.name} (process group ${this.pid}) to end`, () => this.exit && !groupAlive(this.pid), {
      timeoutMs,
      intervalMs: 20,
      status: () => this.describe(),
    });
    running.delete(this);
  }
}

const running = new Set<ProcessGroup>();

// The last resort when a test file ends without its hooks: at exit, and when
// the test process is told to stop (Ctrl-C, vitest tearing its forks down),
// which would otherwise end it without an "exit" event. A process group of
// its own does not get the terminal's Ctrl-C. Synchronous, as these must be;
// the signal is then raised again, so that it ends the process as before.
function killAllNow(): void {
  for (const group of running) group.signal("SIGKILL");
}
process.on("exit", killAllNow);
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  const onSignal = () => {
    killAllNow();
    process.removeListener(name, onSignal);
    if (process.listenerCount(name) === 0) process.kill(process.pid, name);
  };
  process.on(name, onSignal);
}

/** Kills every process these helpers started and that is still running. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((group) => group.kill()));
}

/**
 * Whether any process of the group is alive. A zombie does not count: its
 * parent (the launcher, already dead) can no longer reap it, and where PID 1
 * does not reap orphans it would otherwise look alive for ever.
 */
function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

/** A TCP port that was free a moment ago (for servers that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("freePort: no TCP address");
  return address.port;
}
