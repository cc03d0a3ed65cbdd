import { readFileSync } from "node:fs";
import path from "node:path";

// The embedded PostgreSQL's server settings, read from the production file
// deploy/postgresql/conf.d/erp.conf so that the two cannot drift: every
// setting there is passed to the laptop's server as `-c name=value`, except
// the few below that are shrunk to laptop size. A setting added to erp.conf
// reaches `npm start` without touching this file.

export const productionConfFile = path.resolve(import.meta.dirname, "../postgresql/conf.d/erp.conf");

/** Where a laptop parts from the production server, and why. Each name must be in erp.conf. */
export const laptopOverrides: Readonly<Record<string, string>> = {
  // Only this machine may connect, whatever the server's file says.
  listen_addresses: "127.0.0.1",
  // Enough for the web process pool, workers, tests and a psql session (production: 200).
  max_connections: "100",
  // WAL may grow to 1 GB between checkpoints (production: 16 GB); a laptop's disk is small.
  max_wal_size: "1GB",
  // Keep 128 MB of WAL files for reuse instead of 2 GB.
  min_wal_size: "128MB",
  // Three workers on a laptop's few cores (production: 5).
  autovacuum_max_workers: "3",
};

/**
 * The `name = value` lines of a postgresql.conf-style file, in order, with
 * comments dropped and single quotes taken off ('it''s' reads it's).
 */
export function parsePostgresConf(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = /^([a-z_][a-z0-9_.]*)\s*=?\s*('(?:[^']|'')*'|[^\s#']+)\s*(#.*)?$/i.exec(line);
    if (!match) throw new Error(`${productionConfFile}:${index + 1}: cannot read "${raw}"`);
    const [, name, value] = match as unknown as [string, string, string];
    settings.set(name.toLowerCase(), value.startsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : value);
  });
  return settings;
}

/** erp.conf with the laptop's overrides applied. */
export function readLaptopPostgresSettings(file = productionConfFile): Record<string, string> {
  const production = parsePostgresConf(readFileSync(file, "utf8"));
  const missing = Object.keys(laptopOverrides).filter((name) => !production.has(name));
  if (missing.length) {
    throw new Error(`${file} has no ${missing.join(", ")}: remove the laptop override(s) in postgres-settings.ts too`);
  }
  return { ...Object.fromEntries(production), ...laptopOverrides };
}

export const laptopPostgresSettings: Readonly<Record<string, string>> = readLaptopPostgresSettings();

export function postgresFlags(settings = laptopPostgresSettings): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
}
