import type { Prisma } from "../generated/prisma/client";
import { enqueueLiveEvent } from "../outbox/enqueue-outbox-message";
import type { Assessment } from "./assess-supplier";
import { type RiskLevel, riskLevel } from "./risk-level";

/**
 * Stores an assessment, sets the supplier's current level (what buyers see
 * beside its name), closes the request, and announces it: all in the
 * caller's transaction, the one that marks the outbox message delivered.
 */
export async function recordAssessment({
  tx,
  requestId,
  assessment,
}: {
  tx: Prisma.TransactionClient;
  requestId: string;
  assessment: Assessment;
}): Promise<{ assessmentId: string; assessedAt: Date }> {
  const request = await tx.supplierRiskRequest.findUniqueOrThrow({ where: { id: BigInt(requestId) } });
  const supplier = await tx.supplier.findUniqueOrThrow({
    where: { id: assessment.supplierId },
    select: { riskLevel: true },
  });
  const row = await tx.supplierRiskAssessment.create({
    data: {
      supplierId: assessment.supplierId,
      score: assessment.score,
      level: assessment.level,
      factors: assessment.factors,
      analysis: assessment.analysis,
      source: assessment.source,
      model: assessment.model,
      latencyMs: assessment.latencyMs,
      baselineScore: assessment.baselineScore,
      baselineLevel: assessment.baselineLevel,
      attempts: assessment.attempts,
      trigger: request.trigger,
      reason: request.reason,
    },
    select: { id: true, assessedAt: true },
  });
  await tx.supplier.update({ where: { id: assessment.supplierId }, data: { riskLevel: assessment.level } });
  await tx.supplierRiskRequest.update({
    where: { id: request.id },
    data: { completedAt: row.assessedAt, assessmentId: row.id, startedAt: request.startedAt ?? row.assessedAt },
  });
  const previous = riskLevel.safeParse(supplier.riskLevel);
  await enqueueLiveEvent({
    db: tx,
    type: "supplier.risk",
    aggregateType: "supplier",
    aggregateId: String(assessment.supplierId),
    payload: {
      supplierId: assessment.supplierId,
      assessmentId: row.id.toString(),
      score: assessment.score,
      level: assessment.level,
      previousLevel: previous.success ? (previous.data as RiskLevel) : null,
      source: assessment.source,
      model: assessment.model,
      latencyMs: assessment.latencyMs,
      assessedAt: row.assessedAt.toISOString(),
    },
  });
  return { assessmentId: row.id.toString(), assessedAt: row.assessedAt };
}
