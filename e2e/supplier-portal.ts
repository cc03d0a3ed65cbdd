import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type APIRequestContext, expect } from "@playwright/test";
import { stackPorts } from "./stack-ports";

// The supplier portal stand-in that e2e/start-stack.ts runs beside the stack,
// and a lock for the specs that depend on how it behaves.
//
// Its fault mix is global, and every demo supplier is reached through the one
// SUPPLIER_API_URL, so the relay's circuit breaker is shared too: a spec that
// makes the portal fail delays every order in flight, whoever raised it. A
// spec that sets faults, or that expects an order to go through promptly,
// holds the lock while it does (the two Playwright workers are separate
// processes, hence a lock directory rather than anything in memory).

export const supplierPortalUrl = process.env.E2E_SUPPLIER_SIM_URL || `http://127.0.0.1:${stackPorts().supplierSim}`;

export type Faults = { failRate: number; dropResponseRate: number; delayMs: number; rejectRate: number };
export const noFaults: Faults = { failRate: 0, dropResponseRate: 0, delayMs: 0, rejectRate: 0 };

export type AcceptedOrder = {
  purchaseOrderId: string;
  idempotencyKey: string;
  supplierReference: string;
  receivedAt: string;
};

export async function setFaults(api: APIRequestContext, faults: Partial<Faults>): Promise<Faults> {
  const response = await api.put(`${supplierPortalUrl}/faults`, { data: faults });
  expect(response.status(), "PUT /faults on the supplier portal").toBe(200);
  return response.json();
}

/** What the supplier holds for one purchase order: one entry, if exactly-once delivery holds. */
export async function ordersAtSupplier(api: APIRequestContext, purchaseOrderId: string): Promise<AcceptedOrder[]> {
  const response = await api.get(`${supplierPortalUrl}/orders`);
  expect(response.status(), "GET /orders on the supplier portal").toBe(200);
  const { orders } = (await response.json()) as { orders: AcceptedOrder[] };
  return orders.filter((order) => order.purchaseOrderId === purchaseOrderId);
}

const lockDir = path.join(tmpdir(), `erp-e2e-supplier-portal-${new URL(supplierPortalUrl).port || "80"}.lock`);
const ownerFile = path.join(lockDir, "owner.json");
// Longer than any spec holds the lock; a holder killed outright leaves it behind.
const staleAfterMs = 3 * 60_000;

/**
 * Waits until this worker alone controls the supplier portal. The returned
 * function gives it back and may be called more than once.
 */
export async function holdSupplierPortal({ timeoutMs = 75_000 } = {}): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // mkdir is atomic: exactly one process creates the directory.
      await mkdir(lockDir);
      await writeFile(ownerFile, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      let held = true;
      return async () => {
        if (!held) return;
        held = false;
        await rm(lockDir, { recursive: true, force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale()) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`the supplier portal stayed held by another spec for ${timeoutMs} ms (${lockDir})`);
    }
    await sleep(200);
  }
}

async function isStale(): Promise<boolean> {
  try {
    const since = Date.now() - (await stat(lockDir)).mtimeMs;
    if (since > staleAfterMs) return true;
    const { pid } = JSON.parse(await readFile(ownerFile, "utf8")) as { pid: number };
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ESRCH: its process is gone. ENOENT: released meanwhile, or the owner
    // file not written yet (give that a moment before calling it stale).
    if (code === "ESRCH") return true;
    return false;
  }
}
