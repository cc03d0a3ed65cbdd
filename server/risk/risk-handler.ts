import { z } from "zod";
import { prisma } from "../db";
import type { ExternalHandler } from "../outbox/handler";
import { type Assessment, assessSupplier } from "./assess-supplier";
import { recordAssessment } from "./record-assessment";
import { riskRequestedEvent } from "./request-assessments";
import { riskChain } from "./risk-chain";
import { riskSettings } from "./risk-settings";

// The worker's side of a risk request, run by the outbox relay: `deliver`
// makes the decision (no transaction open while the providers think), and
// `onDelivered` stores it in the transaction that marks the message done, so
// an assessment is stored once even if a worker dies half-way. Requests share
// an aggregate per supplier: one supplier's assessments run one at a time.

const payloadSchema = z.object({
  requestId: z.string().regex(/^\d{1,19}$/),
  supplierId: z.number().int().positive(),
});
type Payload = z.infer<typeof payloadSchema>;
type Result = { assessment: Assessment } | { assessment: null };

export const riskHandler: ExternalHandler<Payload, Result> = {
  eventType: riskRequestedEvent,
  schema: payloadSchema,

  async deliver({ requestId, supplierId }, _message, { log }) {
    // From now on a new request for this supplier queues behind this one
    // instead of joining it: what happens from here may not be in this answer.
    const started = await prisma().supplierRiskRequest.updateMany({
      where: { id: BigInt(requestId), completedAt: null },
      data: { startedAt: new Date() },
    });
    // Answered already (a repeat after a lost lease): nothing to do.
    if (started.count === 0) return { assessment: null };
    const settings = riskSettings();
    return { assessment: await assessSupplier({ supplierId, chain: riskChain(), settings, log }) };
  },

  async onDelivered(tx, { requestId }, { assessment }) {
    if (!assessment) return;
    await recordAssessment({ tx, requestId, assessment });
  },

  // The database kept failing: the request is closed with the reason, and
  // marked started so that it no longer counts as waiting (a new request for
  // the supplier would otherwise join a request nobody will answer).
  async onGivenUp(tx, { requestId }, info) {
    await tx.$executeRaw`
      UPDATE supplier_risk_requests
      SET completed_at = now(), started_at = coalesce(started_at, now()), error = ${(info.error ?? "given up").slice(0, 1000)}
      WHERE id = ${BigInt(requestId)} AND completed_at IS NULL`;
  },
};
