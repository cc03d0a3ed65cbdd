import { prisma } from "../db";
import type { RiskLevel } from "../risk/risk-level";
import { levelOf } from "../risk/risk-level";
import { type RiskFactor, scoreRisk } from "../risk/score-risk";

// Stored assessments for tests of what the API shows, written as the worker
// would write them (factors from the real model, the level from the score).

export const sampleFactors: RiskFactor[] = scoreRisk({
  supplierId: 0,
  supplierName: "sample",
  promisedLeadTimeDays: 10,
  windowDays: 180,
  ordersInWindow: 12,
  deliveriesDue: 10,
  deliveredOnTime: 8,
  leadTimesDays: [8, 10, 12, 14],
  failedOrders: 1,
  openOrderValue: 3000,
  allOpenOrderValue: 12000,
  singleSourceItems: 2,
  itemsSupplied: 5,
}).factors;

export async function insertAssessment({
  supplierId,
  score,
  source = "openrouter",
  model = "google/gemini-2.5-flash",
  baselineScore = 41,
  latencyMs = 812,
  assessedAt = new Date(),
  analysis = "Deliveries slip now and then; two items come from nobody else.",
}: {
  supplierId: number;
  score: number;
  source?: string;
  model?: string;
  baselineScore?: number;
  latencyMs?: number;
  assessedAt?: Date;
  analysis?: string;
}) {
  const level: RiskLevel = levelOf(score);
  return prisma().supplierRiskAssessment.create({
    data: {
      supplierId,
      score,
      level,
      factors: sampleFactors,
      analysis,
      source,
      model,
      latencyMs,
      baselineScore,
      baselineLevel: levelOf(baselineScore),
      trigger: "request",
      assessedAt,
    },
  });
}
