import type { Principal } from "../auth/roles";
import { prisma } from "../db";
import { AppError } from "../errors";
import { wakeOutboxRelay } from "../outbox/wake";
import { requestAssessments } from "./request-assessments";

/**
 * A person asks for a fresh assessment (POST /api/suppliers/{id}/risk). The
 * request goes to the worker through the outbox and the answer comes back as
 * a `supplier.risk` push. If one is already waiting, the caller joins it and
 * gets its time: it will be just as fresh.
 */
export async function requestSupplierRisk({
  supplierId,
  principal,
}: {
  supplierId: number;
  principal: Pick<Principal, "userId" | "username">;
}): Promise<{ requestedAt: string }> {
  const supplier = await prisma().supplier.findUnique({ where: { id: supplierId }, select: { id: true } });
  if (!supplier) throw new AppError("not_found", `Supplier ${supplierId} does not exist.`);

  // Twice at most: the waiting request we would join may start in between.
  for (let round = 0; round < 2; round++) {
    const [created] = await requestAssessments({
      requests: [
        { supplierId, trigger: "request", reason: `asked for by ${principal.username}`, requestedBy: principal.userId },
      ],
    });
    if (created) {
      wakeOutboxRelay();
      return { requestedAt: created.requestedAt.toISOString() };
    }
    const waiting = await prisma().supplierRiskRequest.findFirst({
      where: { supplierId, startedAt: null },
      select: { requestedAt: true },
    });
    if (waiting) return { requestedAt: waiting.requestedAt.toISOString() };
  }
  throw new AppError("conflict", "Assessments of this supplier are being requested very fast; try again in a moment.");
}
