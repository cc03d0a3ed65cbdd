import type { getRiskHistory, listSupplierRisk } from "@/server/risk/supplier-risk-views";

// What the risk API answers, typed from the functions behind it so the page
// cannot drift from the API (type imports only: nothing of the server ships).

/** The latest assessment of one supplier; every assessment field is null when it was never assessed. */
export type SupplierRisk = Awaited<ReturnType<typeof listSupplierRisk>>[number];

/** One assessment in a supplier's trend, oldest first. */
export type RiskHistoryPoint = Awaited<ReturnType<typeof getRiskHistory>>[number];

/**
 * One input of the deterministic score as the page formats it: the model's
 * factors (server/risk/score-risk.ts) fit, and so would a factor or unit
 * added later.
 */
export type RiskFactor = {
  key: string;
  label: string;
  /** The raw figure, e.g. an on-time rate of 0.82 or a lead-time spread in days. */
  value: number;
  unit: string;
  weight: number;
  /** Points this factor adds to the deterministic score (0-100 in all). */
  contribution: number;
  /** The figure in words, with what it was computed from. */
  detail?: string;
};

/** The `source` of the built-in deterministic model (server/risk/risk-level.ts, modelSource). */
export const builtInSource = "model";
