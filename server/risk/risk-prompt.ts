import { type RiskFigures, standardDeviation } from "./score-risk";

// What the providers are asked. The figures go in as a JSON block, so that a
// model reads exact numbers (and the stand-in can compute its answer from
// them); the answer must be a JSON object, checked by risk-answer.ts.

export type ChatMessage = { role: "system" | "user"; content: string };

const instructions = [
  "You assess the supply risk of a factory's supplier from its delivery figures.",
  'Answer with one JSON object and nothing else: {"score": <integer 0-100>, "level": "low" | "medium" | "high" | "critical", "analysis": "<2 to 4 sentences for a purchasing manager>"}.',
  "Levels: 0-24 low, 25-49 medium, 50-74 high, 75-100 critical.",
  "Weigh late deliveries, unsteady lead times, orders that could not be sent, how much open order value rides on this supplier, and items no one else supplies.",
].join("\n");

/** The figures as the prompt states them. */
export function promptFigures(figures: RiskFigures) {
  const leadTimes = figures.leadTimesDays;
  const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
  return {
    supplier: figures.supplierName,
    windowDays: figures.windowDays,
    promisedLeadTimeDays: figures.promisedLeadTimeDays,
    ordersInWindow: figures.ordersInWindow,
    deliveriesDue: figures.deliveriesDue,
    deliveredOnTime: figures.deliveredOnTime,
    onTimeRate: figures.deliveriesDue > 0 ? round(figures.deliveredOnTime / figures.deliveriesDue, 3) : null,
    meanLeadTimeDays: leadTimes.length ? round(leadTimes.reduce((a, b) => a + b, 0) / leadTimes.length) : null,
    leadTimeStdDevDays: round(standardDeviation(leadTimes)),
    failedOrders: figures.failedOrders,
    openOrderValue: round(figures.openOrderValue),
    openExposureShare: figures.allOpenOrderValue > 0 ? round(figures.openOrderValue / figures.allOpenOrderValue, 3) : 0,
    singleSourceItems: figures.singleSourceItems,
    itemsSupplied: figures.itemsSupplied,
  };
}

export function riskPrompt(figures: RiskFigures): ChatMessage[] {
  return [
    { role: "system", content: instructions },
    {
      role: "user",
      content: `Supplier figures:\n\`\`\`json\n${JSON.stringify(promptFigures(figures), null, 2)}\n\`\`\``,
    },
  ];
}
