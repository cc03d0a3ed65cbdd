import { prisma } from "../db";
import { AppError } from "../errors";
import type { RiskFactor } from "./score-risk";

// What the risk API shows. Managers and admins see everything; buyers see the
// headline of an assessment (score, level, who scored it, when), not the
// factors or the written analysis.

type AssessmentRow = {
  score: number;
  level: string;
  source: string;
  model: string;
  latency_ms: number;
  assessed_at: Date;
  analysis: string;
  factors: RiskFactor[];
  baseline_score: number;
  baseline_level: string;
  trigger: string;
};

const latestSql = `
  SELECT score, level, source, model, latency_ms, assessed_at, analysis, factors, baseline_score, baseline_level, trigger
  FROM supplier_risk_assessments WHERE supplier_id = s.id ORDER BY assessed_at DESC, id DESC LIMIT 1`;

function fullView(a: AssessmentRow) {
  return {
    score: a.score,
    level: a.level,
    source: a.source,
    factors: a.factors,
    assessedAt: a.assessed_at.toISOString(),
    model: a.model,
    latencyMs: a.latency_ms,
    analysis: a.analysis,
    baseline: { score: a.baseline_score, level: a.baseline_level },
    trigger: a.trigger,
  };
}

async function assertSupplier(supplierId: number): Promise<void> {
  const found = await prisma().supplier.findUnique({ where: { id: supplierId }, select: { id: true } });
  if (!found) throw new AppError("not_found", `Supplier ${supplierId} does not exist.`);
}

/** GET /api/suppliers/{id}/risk: the latest assessment; 404 for an unknown supplier or one never assessed. */
export async function getSupplierRisk({ supplierId, detail }: { supplierId: number; detail: "full" | "headline" }) {
  const rows = await prisma().$queryRawUnsafe<AssessmentRow[]>(
    `SELECT a.* FROM suppliers s CROSS JOIN LATERAL (${latestSql}) a WHERE s.id = $1`,
    supplierId,
  );
  const latest = rows[0];
  if (!latest) {
    await assertSupplier(supplierId);
    throw new AppError(
      "not_found",
      `Supplier ${supplierId} has not been assessed yet. POST to this address to ask for an assessment.`,
      { supplierId, assessed: false },
    );
  }
  const view = fullView(latest);
  if (detail === "full") return view;
  return { score: view.score, level: view.level, source: view.source, assessedAt: view.assessedAt };
}

/** GET /api/suppliers/risk: every supplier with its latest assessment, null fields when it was never assessed. */
export async function listSupplierRisk() {
  const rows = await prisma().$queryRawUnsafe<({ id: number; name: string } & Partial<AssessmentRow>)[]>(
    `SELECT s.id, s.name, a.* FROM suppliers s LEFT JOIN LATERAL (${latestSql}) a ON true ORDER BY s.name, s.id`,
  );
  return rows.map(({ id, name, ...latest }) => {
    if (latest.assessed_at == null) {
      return {
        id,
        name,
        score: null,
        level: null,
        source: null,
        model: null,
        latencyMs: null,
        assessedAt: null,
        analysis: null,
        factors: null,
        baseline: null,
        trigger: null,
      };
    }
    return { id, name, ...fullView(latest as AssessmentRow) };
  });
}

const historyLimit = 2000;

/** GET /api/suppliers/{id}/risk/history: the assessments of the last `days` days, oldest first (the newest 2,000 at most). */
export async function getRiskHistory({ supplierId, days }: { supplierId: number; days: number }) {
  await assertSupplier(supplierId);
  const rows = await prisma().supplierRiskAssessment.findMany({
    where: { supplierId, assessedAt: { gt: new Date(Date.now() - days * 86_400_000) } },
    orderBy: [{ assessedAt: "desc" }, { id: "desc" }],
    take: historyLimit,
    select: {
      score: true,
      level: true,
      source: true,
      model: true,
      latencyMs: true,
      assessedAt: true,
      baselineScore: true,
    },
  });
  return rows.reverse().map((r) => ({ ...r, assessedAt: r.assessedAt.toISOString() }));
}
