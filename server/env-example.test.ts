import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

// .env.example documents every setting the product reads: any
// process.env.NAME, and every key of a zod settings schema (server/env.ts,
// server/outbox/settings.ts, ...), in the product's own code. A new variable
// without a line there fails this test.

const root = path.resolve(import.meta.dirname, "..");
const productDirs = ["app", "server", "workers", "deploy", "components"];
const productFiles = ["proxy.ts", "next.config.ts", "prisma.config.ts"];
// Set by the operating system or the shell, not by whoever deploys.
const notSettings = new Set(["PATH", "HOME", "NO_COLOR", "CI"]);

function sources(): string[] {
  const files = productDirs.flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.(ts|tsx|mjs)$/.test(file) && !/\.test\.ts$/.test(file))
      .map((file) => path.join(dir, file)),
  );
  return [...files, ...productFiles].filter(
    (file) => !file.startsWith(path.join("server", "testing")) && !file.startsWith(path.join("server", "generated")),
  );
}

function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources()) {
    let text: string;
    try {
      text = readFileSync(path.join(root, file), "utf8");
    } catch {
      continue;
    }
    const patterns = [/process\.env\.([A-Z][A-Z0-9_]+)/g, /process\.env\[["']([A-Z][A-Z0-9_]+)["']\]/g];
    // Keys of the settings schemas: `  NAME: z.` at the start of a line.
    if (/from "zod"/.test(text)) patterns.push(/^\s+([A-Z][A-Z0-9]*_[A-Z0-9_]+): z\b/gm);
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1] as string;
        if (!notSettings.has(name) && !found.has(name)) found.set(name, file);
      }
    }
  }
  return found;
}

it("documents every environment variable the product reads", () => {
  const documented = new Set(
    readFileSync(path.join(root, ".env.example"), "utf8")
      .split("\n")
      .map((line) => line.match(/^([A-Z][A-Z0-9_]*)=/)?.[1])
      .filter((name): name is string => Boolean(name)),
  );
  const read = variablesRead();
  expect(read.size).toBeGreaterThan(30);
  const missing = [...read]
    .filter(([name]) => !documented.has(name))
    .map(([name, file]) => `${name} (read in ${file})`);
  expect(missing, "add these to .env.example with a comment").toEqual([]);
});
