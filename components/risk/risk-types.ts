// What the risk API answers, as the pages read it. The shapes follow the
// HTTP contract (GET /api/suppliers/risk and its per-supplier siblings).

/** One input of the deterministic score: its raw figure and the points it adds. */
export type RiskFactor = {
  key: string;
  label: string;
  /** The raw figure, e.g. an on-time rate of 0.82 or a lead-time variance in days. */
  value: number;
  unit: string;
  weight: number;
  /** Points this factor adds to the deterministic score (0-100 in all). */
  contribution: number;
  /** The figure in words, with what it was computed from ("12 of 15 deliveries due in 90 days came on time"). */
  detail?: string;
};

/** The latest assessment of one supplier; every assessment field is null when it was never assessed. */
export type SupplierRisk = {
  id: number;
  name: string;
  score: number | null;
  level: string | null;
  /** The provider that answered, or "model" for the built-in deterministic model. */
  source: string | null;
  model: string | null;
  latencyMs: number | null;
  assessedAt: string | null;
  analysis: string | null;
  factors: RiskFactor[] | null;
  /** What the built-in model says for the same figures, shown beside the AI's answer. */
  baseline: { score: number | null; level: string | null } | null;
};

export type RiskHistoryPoint = {
  score: number;
  level: string;
  source: string;
  model: string | null;
  latencyMs: number | null;
  assessedAt: string;
  baselineScore: number | null;
};

/** The part of a `supplier.risk` live event the pages use. */
export type SupplierRiskEvent = {
  supplierId: number;
  score: number | null;
  level: string;
  source: string;
  assessedAt: string;
};

/** The source value that marks the built-in deterministic model. */
export const builtInSource = "model";
