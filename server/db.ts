import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "./env";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

// One pg pool per process, shared by Prisma (through its driver adapter) and
// by the few hot paths that send one raw statement and want no ORM overhead.
const globalForDb = globalThis as unknown as { erpPool?: pg.Pool; erpPrisma?: PrismaClient };

export function pool(): pg.Pool {
  if (!globalForDb.erpPool) {
    const settings = env();
    globalForDb.erpPool = new pg.Pool({
      connectionString: settings.DATABASE_URL,
      max: settings.DATABASE_POOL_SIZE,
      application_name: `erp-${process.env.ERP_SERVICE ?? "web"}`,
    });
    // An idle client that loses its connection must not crash the process.
    globalForDb.erpPool.on("error", () => {});
  }
  return globalForDb.erpPool;
}

export function prisma(): PrismaClient {
  if (!globalForDb.erpPrisma) {
    globalForDb.erpPrisma = new PrismaClient({ adapter: new PrismaPg(pool()) });
  }
  return globalForDb.erpPrisma;
}

export async function closeDb(): Promise<void> {
  await globalForDb.erpPrisma?.$disconnect();
  await globalForDb.erpPool?.end();
  globalForDb.erpPrisma = undefined;
  globalForDb.erpPool = undefined;
}
