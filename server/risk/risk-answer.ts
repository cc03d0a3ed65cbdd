import { z } from "zod";
import { riskLevel } from "./risk-level";

// A provider's answer, checked before it is believed: the chat-completion
// envelope, then the JSON object inside the message. Anything else (prose,
// a truncated object, a score of 140) is an invalid answer, which counts as a
// failed attempt. The level is recomputed from the score (risk-level.ts), so
// an answer's level only has to be one of the four words.

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
});

export const riskAnswerSchema = z.object({
  score: z.number().min(0).max(100).transform(Math.round),
  level: riskLevel.optional(),
  analysis: z.string().trim().min(10).max(2000),
});

export type RiskAnswer = z.infer<typeof riskAnswerSchema>;

export type ParsedAnswer = { ok: true; answer: RiskAnswer } | { ok: false; problem: string };

/** Reads a chat-completions response body (text); never throws. */
export function parseRiskAnswer(body: string): ParsedAnswer {
  const envelope = completionSchema.safeParse(safeJson(body));
  if (!envelope.success) return { ok: false, problem: "not a chat completion" };
  const content = (envelope.data.choices[0]?.message.content ?? "").trim();
  // Models like to wrap JSON in a Markdown fence even when told not to.
  const unfenced = content.replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  const json = safeJson(unfenced);
  if (json === undefined) return { ok: false, problem: "the message is not JSON" };
  const answer = riskAnswerSchema.safeParse(json);
  if (!answer.success) {
    return { ok: false, problem: answer.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  }
  return { ok: true, answer: answer.data };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
