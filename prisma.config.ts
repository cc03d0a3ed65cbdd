// Configuration for the Prisma CLI. The application itself connects through
// @prisma/adapter-pg (server/db.ts), so the URL here only matters to CLI
// commands such as `prisma migrate deploy` where its engine can be fetched.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx scripts/db-seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/erp" },
});
