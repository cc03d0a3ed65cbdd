import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

// The production web server under test: `next build` when needed, then
// `next start` in its own process group so that stopping it stops all of it.

const nextBin = (root: string) => path.join(root, "node_modules", "next", "dist", "bin", "next");
const sourceDirs = ["app", "components", "server", "lib", "public", "styles"];
const sourceFiles = ["next.config.ts", "package.json", "package-lock.json", "tsconfig.json"];
const skipped = new Set(["node_modules", ".next", "generated"]);

async function newestSourceMtime(root: string): Promise<number> {
  let newest = 0;
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (skipped.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await visit(full);
      else newest = Math.max(newest, (await stat(full)).mtimeMs);
    }
  };
  for (const dir of sourceDirs) await visit(path.join(root, dir));
  for (const file of sourceFiles) {
    const full = path.join(root, file);
    if (existsSync(full)) newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
}

function runToEnd(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }) {
  return new Promise<number>((resolve, reject) => {
    const log = createWriteStream(options.logFile);
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/** Builds unless told not to, or (auto) unless .next is newer than every source file. */
export async function ensureBuild(
  root: string,
  mode: "auto" | "always" | "never",
  logDir: string,
  onWait?: (line: string) => void,
): Promise<string> {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (mode === "never") {
    if (!existsSync(buildId)) throw new Error("BENCH_BUILD=never but there is no production build (.next/BUILD_ID)");
    return "reused (BENCH_BUILD=never)";
  }
  const logFile = path.join(logDir, "next-build.log");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  // Others (npm start, e2e) build the same .next: wait for their build (up
  // to 10 minutes), then look again whether it is fresh enough.
  for (let attempt = 0; ; attempt++) {
    if (mode === "auto" && existsSync(buildId)) {
      const builtAt = (await stat(buildId)).mtimeMs;
      if (builtAt > (await newestSourceMtime(root))) return "reused (newer than every source file)";
    }
    const code = await runToEnd(process.execPath, [nextBin(root), "build"], { cwd: root, env, logFile });
    if (code === 0) return "built";
    const output = await readFile(logFile, "utf8");
    if (output.includes("Another next build process is already running") && attempt < 120) {
      if (attempt === 0) onWait?.("another next build is running in this checkout: waiting for it");
      await new Promise((r) => setTimeout(r, 5_000));
      continue;
    }
    const tail = output.split("\n").slice(-30).join("\n");
    throw new Error(`next build failed (exit ${code}):\n${tail}`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export type WebServer = { url: string; pid: number; logFile: string; stop: () => Promise<void> };

export async function startServer({
  root,
  port,
  env,
  logDir,
}: {
  root: string;
  port: number;
  env: Record<string, string>;
  logDir: string;
}): Promise<WebServer> {
  const logFile = path.join(logDir, "next-start.log");
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [nextBin(root), "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  const server = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    logFile,
    stop: () => stopGroup(child, exited),
  };

  try {
    await waitForHealth(server.url, exited);
  } catch (error) {
    await server.stop();
    const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-20).join("\n");
    throw new Error(`${(error as Error).message}\n--- next start output ---\n${tail}`);
  }
  return server;
}

async function waitForHealth(url: string, exited: Promise<number>, timeoutMs = 60_000): Promise<void> {
  let gone: number | undefined;
  void exited.then((code) => {
    gone = code;
  });
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`next start exited with code ${gone} before it was healthy`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server was not healthy within ${timeoutMs / 1000} s (last: ${last})`);
}

export async function stopGroup(child: ChildProcess, exited: Promise<number>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5_000))]);
  if (!stopped) signal("SIGKILL");
}
