import { hashPassword } from "../auth/password";
import { prisma } from "../db";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import {
  type DemoRole,
  demoItems,
  demoMachines,
  demoPassword,
  demoSuppliers,
  demoUsers,
  demoWorkCenters,
  demoWorkOrders,
} from "./demo-data";

/** The demo accounts, for the launcher's banner and the README. Demo data only. */
export const demoLogins: ReadonlyArray<{ username: string; password: string; role: DemoRole; group: string | null }> =
  demoUsers.map((u) => ({
    username: u.username,
    password: demoPassword(u.username),
    role: u.role,
    group: demoWorkCenters.find((wc) => wc.code === u.workCenter)?.name ?? null,
  }));

const HOUR_MS = 3_600_000;

/**
 * Fills an empty database with the demo factory. A database that has any user
 * is left alone, so a second `npm start` never re-seeds or duplicates data.
 * Everything is written in one transaction: a failed seed leaves nothing.
 */
export async function seedDemoData({ db = prisma() }: { db?: PrismaClient } = {}): Promise<{ seeded: boolean }> {
  if ((await db.user.count()) > 0) return { seeded: false };

  // argon2 is deliberately slow: hash before the transaction opens, not inside it.
  const passwordHashes = new Map(
    await Promise.all(demoUsers.map(async (u) => [u.username, await hashPassword(demoPassword(u.username))] as const)),
  );
  // Due dates count from the start of the current hour: always in the future,
  // and round numbers, so screenshots differ only by when the seed ran.
  const now = new Date();
  const planStart = new Date(now);
  planStart.setUTCMinutes(0, 0, 0);

  return db.$transaction(
    async (tx) => {
      // Two launchers starting at once: the second waits here, then finds the users.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('erp:seed-demo-data'))`;
      if ((await tx.user.count()) > 0) return { seeded: false };

      const workCenterIds = await createWorkCenters(tx);
      const machineIds = await createMachines(tx, workCenterIds);
      const itemIds = await createItemsWithOpeningBalances(tx);
      await tx.supplier.createMany({ data: demoSuppliers.map((s) => ({ ...s })) });
      await createWorkOrders(tx, { machineIds, itemIds, planStart, now });

      await tx.user.createMany({
        data: demoUsers.map((u) => ({
          username: u.username,
          displayName: u.displayName,
          role: u.role,
          passwordHash: passwordHashes.get(u.username) as string,
          workCenterId: u.role === "operator" && u.workCenter ? (workCenterIds.get(u.workCenter) ?? null) : null,
        })),
      });
      return { seeded: true };
    },
    { timeout: 60_000 },
  );
}

type Tx = Prisma.TransactionClient;

async function createWorkCenters(tx: Tx): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // One by one, in order, so that the first listed gets the lowest id.
  for (const wc of demoWorkCenters) {
    const row = await tx.workCenter.create({ data: { code: wc.code, name: wc.name }, select: { id: true } });
    ids.set(wc.code, row.id);
  }
  return ids;
}

async function createMachines(tx: Tx, workCenterIds: Map<string, number>): Promise<Map<string, number>> {
  const rows = await tx.machine.createManyAndReturn({
    data: demoMachines.map(([code, workCenter, name, status, capabilities]) => ({
      code,
      name,
      status,
      capabilities,
      workCenterId: workCenterIds.get(workCenter) as number,
    })),
    select: { id: true, code: true },
  });
  return new Map(rows.map((m) => [m.code, m.id]));
}

async function createItemsWithOpeningBalances(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx.inventoryItem.createManyAndReturn({
    data: demoItems.map(([sku, name, unit, stockQty]) => ({ sku, name, unit, stockQty })),
    select: { id: true, sku: true, stockQty: true },
  });
  // Every quantity in stock is explained by the ledger from the first day on.
  await tx.inventoryMovement.createMany({
    data: rows
      .filter((item) => item.stockQty > 0)
      .map((item) => ({
        itemId: item.id,
        kind: "receipt",
        qty: item.stockQty,
        stockAfter: item.stockQty,
        reservedAfter: 0,
        reference: "opening balance",
      })),
  });
  return new Map(rows.map((i) => [i.sku, i.id]));
}

async function createWorkOrders(
  tx: Tx,
  {
    machineIds,
    itemIds,
    planStart,
    now,
  }: { machineIds: Map<string, number>; itemIds: Map<string, number>; planStart: Date; now: Date },
): Promise<void> {
  const runningMachines = new Set(demoMachines.filter((m) => m[3] === "running").map((m) => m[0]));
  const nextSequence = new Map<string, number>();
  const data = demoWorkOrders.map(([machine, operation, sku, quantity, priority, dueInHours], index) => {
    const sequence = (nextSequence.get(machine) ?? 0) + 1;
    nextSequence.set(machine, sequence);
    const running = sequence === 1 && runningMachines.has(machine);
    return {
      code: `WO-${String(10001 + index)}`,
      operation,
      itemId: itemIds.get(sku) as number,
      quantity,
      priority,
      dueAt: new Date(planStart.getTime() + dueInHours * HOUR_MS),
      machineId: machineIds.get(machine) as number,
      sequence,
      status: running ? "running" : "queued",
      startedAt: running ? now : null,
    };
  });
  await tx.workOrder.createMany({ data });
}
