import { randomBytes } from "node:crypto";
import { hashPassword } from "../auth/password";
import type { Role } from "../auth/roles";
import { prisma } from "../db";

// Small factories with random names: each test makes the data it needs and
// depends on no demo data and no other test.

const suffix = () => randomBytes(4).toString("hex");

let passwordHash: Promise<string> | undefined;
export const testPassword = "correct horse battery staple";

export async function createWorkCenter() {
  const code = `WC-${suffix()}`;
  return prisma().workCenter.create({ data: { code, name: `Work center ${code}` } });
}

export async function createUser({ role, workCenterId }: { role: Role; workCenterId?: number }) {
  passwordHash ??= hashPassword(testPassword);
  const wc = role === "operator" && workCenterId === undefined ? (await createWorkCenter()).id : workCenterId;
  return prisma().user.create({
    data: {
      username: `${role}-${suffix()}`,
      displayName: `Test ${role}`,
      passwordHash: await passwordHash,
      role,
      workCenterId: wc ?? null,
    },
  });
}

export async function createItem({
  stockQty = 100,
  reservedQty = 0,
}: {
  stockQty?: number;
  reservedQty?: number;
} = {}) {
  const sku = `SKU-${suffix()}`;
  return prisma().inventoryItem.create({ data: { sku, name: `Test item ${sku}`, unit: "pcs", stockQty, reservedQty } });
}

export async function createSupplier() {
  const code = `SUP-${suffix()}`;
  return prisma().supplier.create({ data: { code, name: `Supplier ${code}` } });
}

export async function createMachine({ workCenterId }: { workCenterId: number }) {
  const code = `M-${suffix()}`;
  return prisma().machine.create({ data: { code, name: `Machine ${code}`, workCenterId } });
}
