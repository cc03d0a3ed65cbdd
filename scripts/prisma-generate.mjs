// Runs `prisma generate` without network access.
//
// Prisma 7's CLI insists on locating its schema engine before it generates,
// and that engine is downloaded from Prisma's binary host, which these
// machines cannot reach. Generation itself does not use the engine, so we
// point PRISMA_SCHEMA_ENGINE_BINARY at an executable that exists (node). The
// generated client talks to PostgreSQL through @prisma/adapter-pg, with no
// Rust engine at run time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("prisma/schema.prisma")) process.exit(0);

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
