import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { log } from "./log";
import type { Supervisor } from "./processes";

// What a production build of Next.js is made from. A change to any of these
// makes `npm start` rebuild; anything else (tests' data, bench results, docs)
// does not. Test files stay in: `next build` type-checks the whole project.
const sourceDirs = ["app", "components", "server", "lib", "public", "styles"];
const sourceFiles = [
  "next.config.ts",
  "next.config.js",
  "next.config.mjs",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "prisma/schema.prisma",
  "proxy.ts",
  "middleware.ts",
  "postcss.config.mjs",
  "postcss.config.js",
];
// server/generated is derived from prisma/schema.prisma, which is hashed itself.
const skipped = new Set(["node_modules", ".next", path.join("server", "generated")]);

const STAMP = path.join(".next", "erp-build-stamp");

/** Builds Next.js for production unless the last build was made from these sources. */
export async function ensureProductionBuild({
  root,
  supervisor,
  env,
}: {
  root: string;
  supervisor: Supervisor;
  env: NodeJS.ProcessEnv;
}): Promise<"reused" | "built"> {
  const stampFile = path.join(root, STAMP);
  const stamp = existsSync(stampFile) ? (await readFile(stampFile, "utf8")).trim() : "";
  if (stamp === (await sourceHash(root)) && existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("the production build is up to date with the sources");
    return "reused";
  }
  log(
    stamp ? "sources changed since the last build: running next build" : "no production build yet: running next build",
  );
  const before = await sourceHash(root, nextRewrites);
  const code = await supervisor.run({
    name: "build",
    command: path.join(root, "node_modules", ".bin", "next"),
    args: ["build"],
    cwd: root,
    env,
  });
  if (code !== 0) throw new Error(`next build failed (exit code ${code}); its output is in the [build] lines above`);
  // next build may rewrite tsconfig.json (it adds its type folders), so the
  // stamp is taken after it. An edit someone made during the build leaves no
  // stamp: the next start builds again rather than serve a build that may predate it.
  if ((await sourceHash(root, nextRewrites)) === before) {
    await writeFile(stampFile, `${await sourceHash(root)}\n`);
  } else {
    log("sources changed while next build ran: the next start will build again");
  }
  return "built";
}

// Files that next build itself may rewrite.
const nextRewrites = new Set(["tsconfig.json", "next-env.d.ts"]);

export async function sourceHash(root: string, without: ReadonlySet<string> = new Set()): Promise<string> {
  const found: string[] = [];
  for (const dir of sourceDirs) await collect(root, dir, found);
  for (const file of sourceFiles) if (existsSync(path.join(root, file))) found.push(file);
  const files = found.filter((file) => !without.has(file)).sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(root, file)));
    hash.update("\0");
  }
  // NEXT_PUBLIC_* values are inlined into the client bundle at build time.
  for (const [name, value] of Object.entries(process.env).sort(([a], [b]) => a.localeCompare(b))) {
    if (name.startsWith("NEXT_PUBLIC_")) hash.update(`${name}=${value}\0`);
  }
  return hash.digest("hex");
}

async function collect(root: string, relative: string, into: string[]): Promise<void> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = path.join(relative, entry.name);
    if (skipped.has(entry.name) || skipped.has(child)) continue;
    if (entry.isDirectory()) await collect(root, child, into);
    else if (entry.isFile()) into.push(child);
  }
}
