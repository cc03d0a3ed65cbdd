import { levelOf, type RiskLevel } from "./risk-level";

// The built-in, deterministic risk model: the fallback when no AI provider
// answers in time, and the baseline every AI answer is shown beside. Five
// factors, each worth up to `weight` points; a factor earns its full weight
// when its figure reaches the "saturation" below, and a straight-line share of
// it before that. The score is the sum, rounded; 100 points in all.
//
// | factor                | figure (value)                                        | weight | full weight at            |
// | --------------------- | ----------------------------------------------------- | ------ | ------------------------- |
// | on_time_rate          | deliveries on time ÷ deliveries due                    | 35     | half of them late         |
// | lead_time_variability | standard deviation of the actual lead times, in days  | 15     | half the promised days    |
// | failed_deliveries     | orders whose sending failed or was dead-lettered      | 20     | a quarter of the orders   |
// | open_exposure         | its share of the value of every supplier's open orders | 15     | half of all open value    |
// | single_source_items   | items nobody else supplied in the window               | 15     | 5 items                   |
//
// A delivery is due when its order was received (the first goods receipt is
// the delivery) or when its promised date (ordered + the supplier's lead time)
// has passed with nothing received; it is on time when the first receipt came
// by the promised date. Without history a factor scores 0: a new supplier is
// not punished for being new.

/** What the model reads about one supplier (load-risk-figures.ts gets it from the database). */
export type RiskFigures = {
  supplierId: number;
  supplierName: string;
  promisedLeadTimeDays: number;
  windowDays: number;
  /** Orders created in the window, whatever became of them. */
  ordersInWindow: number;
  /** Received, or overdue with nothing received (failed orders are counted apart). */
  deliveriesDue: number;
  deliveredOnTime: number;
  /** Days from order to first receipt, one per received order. */
  leadTimesDays: number[];
  /** Orders in the window whose sending to the supplier failed or was dead-lettered. */
  failedOrders: number;
  /** Value still to be delivered on this supplier's open orders, and on everyone's. */
  openOrderValue: number;
  allOpenOrderValue: number;
  /** Items ordered from this supplier in the window and from no other. */
  singleSourceItems: number;
  itemsSupplied: number;
};

export type RiskFactor = {
  key: "on_time_rate" | "lead_time_variability" | "failed_deliveries" | "open_exposure" | "single_source_items";
  label: string;
  /** The raw figure: a rate of 0.82, a deviation of 3.4 days, 2 orders, a share of 0.4, 3 items. */
  value: number;
  unit: "ratio" | "days" | "orders" | "share" | "items";
  weight: number;
  /** Points this factor adds to the deterministic score. */
  contribution: number;
  /** The figure in words, with what it was computed from. */
  detail: string;
};

export type RiskScore = { score: number; level: RiskLevel; factors: RiskFactor[] };

export const factorWeights = {
  on_time_rate: 35,
  lead_time_variability: 15,
  failed_deliveries: 20,
  open_exposure: 15,
  single_source_items: 15,
} as const;

/** Points for a figure: a straight line from 0 to `weight`, reached at `saturation`. */
function points(weight: number, figure: number, saturation: number): number {
  if (!(figure > 0) || !(saturation > 0)) return 0;
  return weight * Math.min(1, figure / saturation);
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** Population standard deviation; 0 for fewer than two values. */
export function standardDeviation(values: number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
}

export function scoreRisk(figures: RiskFigures): RiskScore {
  const w = factorWeights;
  const onTimeRate = figures.deliveriesDue > 0 ? figures.deliveredOnTime / figures.deliveriesDue : 1;
  const spread = standardDeviation(figures.leadTimesDays);
  const failedShare = figures.ordersInWindow > 0 ? figures.failedOrders / figures.ordersInWindow : 0;
  const exposureShare = figures.allOpenOrderValue > 0 ? figures.openOrderValue / figures.allOpenOrderValue : 0;
  const window = `in ${figures.windowDays} days`;

  const factors: RiskFactor[] = [
    {
      key: "on_time_rate",
      label: "On-time delivery rate",
      value: round(onTimeRate, 3),
      unit: "ratio",
      weight: w.on_time_rate,
      contribution: points(w.on_time_rate, 1 - onTimeRate, 0.5),
      detail:
        figures.deliveriesDue > 0
          ? `${figures.deliveredOnTime} of ${figures.deliveriesDue} deliveries due ${window} came on time`
          : `no delivery due ${window}`,
    },
    {
      key: "lead_time_variability",
      label: "Lead-time variability",
      value: round(spread, 2),
      unit: "days",
      weight: w.lead_time_variability,
      contribution: points(w.lead_time_variability, spread, Math.max(1, figures.promisedLeadTimeDays) * 0.5),
      detail:
        figures.leadTimesDays.length >= 2
          ? `standard deviation over ${figures.leadTimesDays.length} deliveries; ${figures.promisedLeadTimeDays} days promised`
          : `fewer than 2 deliveries ${window}`,
    },
    {
      key: "failed_deliveries",
      label: "Failed or dead-lettered deliveries",
      value: figures.failedOrders,
      unit: "orders",
      weight: w.failed_deliveries,
      contribution: points(w.failed_deliveries, failedShare, 0.25),
      detail: `${figures.failedOrders} of ${figures.ordersInWindow} orders ${window} could not be sent`,
    },
    {
      key: "open_exposure",
      label: "Open order exposure",
      value: round(exposureShare, 3),
      unit: "share",
      weight: w.open_exposure,
      contribution: points(w.open_exposure, exposureShare, 0.5),
      detail: `${money(figures.openOrderValue)} of ${money(figures.allOpenOrderValue)} still to be delivered by all suppliers`,
    },
    {
      key: "single_source_items",
      label: "Single-source items",
      value: figures.singleSourceItems,
      unit: "items",
      weight: w.single_source_items,
      contribution: points(w.single_source_items, figures.singleSourceItems, 5),
      detail: `${figures.singleSourceItems} of the ${figures.itemsSupplied} items ordered from it ${window} came from no one else`,
    },
  ];

  // The score is the sum of the exact points; each factor shows its own to two decimals.
  const score = Math.round(factors.reduce((sum, f) => sum + f.contribution, 0));
  for (const factor of factors) factor.contribution = round(factor.contribution, 2);
  return { score, level: levelOf(score), factors };
}

function money(value: number): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
