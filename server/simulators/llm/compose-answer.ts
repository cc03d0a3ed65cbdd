import { z } from "zod";

// What a simulated model answers: a score and a short analysis computed from
// the figures in the prompt (the JSON block the risk check sends), weighed a
// little differently from the ERP's built-in model, and a little differently
// by each provider, as real models would disagree.

const figuresSchema = z
  .object({
    supplier: z.string(),
    promisedLeadTimeDays: z.number(),
    ordersInWindow: z.number(),
    deliveriesDue: z.number(),
    deliveredOnTime: z.number(),
    onTimeRate: z.number().nullable(),
    leadTimeStdDevDays: z.number(),
    failedOrders: z.number(),
    openExposureShare: z.number(),
    singleSourceItems: z.number(),
  })
  .partial();

type Figures = z.infer<typeof figuresSchema>;

const providerBias: Record<string, number> = { openrouter: 0, groq: 3, cerebras: -2 };

/** The figures block of the last user message, or null when there is none that reads. */
export function readFigures(messages: { role: string; content: string }[]): Figures | null {
  const user = [...messages].reverse().find((m) => m.role === "user");
  if (!user) return null;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(user.content)?.[1];
  const candidate = fenced ?? user.content.slice(user.content.indexOf("{"), user.content.lastIndexOf("}") + 1);
  try {
    const parsed = figuresSchema.safeParse(JSON.parse(candidate));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function levelOf(score: number): string {
  if (score >= 75) return "critical";
  if (score >= 50) return "high";
  if (score >= 25) return "medium";
  return "low";
}

export function composeAnswer(
  provider: string,
  figures: Figures | null,
): { score: number; level: string; analysis: string } {
  if (!figures) {
    return {
      score: 50,
      level: "high",
      analysis: "The prompt held no figures I could read, so this is a cautious default rather than an assessment.",
    };
  }
  const onTime = figures.onTimeRate ?? 1;
  const promised = Math.max(1, figures.promisedLeadTimeDays ?? 1);
  const spread = figures.leadTimeStdDevDays ?? 0;
  const orders = figures.ordersInWindow ?? 0;
  const failed = figures.failedOrders ?? 0;
  const exposure = figures.openExposureShare ?? 0;
  const single = figures.singleSourceItems ?? 0;
  const raw =
    45 * (1 - onTime) +
    30 * Math.min(1, spread / promised) +
    60 * (orders > 0 ? failed / orders : 0) +
    20 * exposure +
    3 * Math.min(single, 5) +
    (providerBias[provider] ?? 0);
  const score = Math.max(0, Math.min(100, Math.round(raw)));
  const name = figures.supplier ?? "This supplier";
  const sentences = [
    figures.deliveriesDue
      ? `${name} delivered ${figures.deliveredOnTime ?? 0} of ${figures.deliveriesDue} due orders on time (${Math.round(onTime * 100)}%).`
      : `${name} has no delivery history yet to judge.`,
    spread > 0
      ? `Lead times vary by ${spread.toFixed(1)} days against ${figures.promisedLeadTimeDays} promised.`
      : "Lead times have been steady.",
    failed > 0 ? `${failed} of ${orders} orders could not be sent.` : "",
    exposure > 0 ? `It carries ${Math.round(exposure * 100)}% of all open order value.` : "",
    single > 0 ? `It is the only source of ${single} item${single === 1 ? "" : "s"}.` : "",
    `Overall: ${levelOf(score)} risk.`,
  ];
  return { score, level: levelOf(score), analysis: sentences.filter(Boolean).join(" ") };
}
