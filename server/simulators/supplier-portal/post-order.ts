import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { z } from "zod";
import { readFaults, rollFault } from "./faults";
import { fingerprintBody } from "./fingerprint";
import { HttpError, readJson, sendJson } from "./http-io";
import { acceptOrder, claimKey, releaseKey } from "./order-store";
import { idempotencyKeySchema, type OrderAcknowledgement, orderRequestSchema } from "./schemas";

export type PostOrderContext = { redis: Redis; prefix: string; shutdown: AbortSignal };

/**
 * POST /orders. Returns the outcome for the request log. The key is claimed
 * before the fault delay, as a real server takes the key on receipt and then
 * works slowly: a caller that times out and retries meanwhile gets 409, and
 * the stored response once the first request has finished.
 */
export async function postOrder(req: IncomingMessage, res: ServerResponse, ctx: PostOrderContext): Promise<string> {
  const idempotencyKey = req.headers["idempotency-key"];
  if (!idempotencyKeySchema.safeParse(idempotencyKey).success) {
    throw new HttpError(400, "idempotency_key_required", "Send an Idempotency-Key header holding a UUID.");
  }
  const key = idempotencyKey as string;
  const body = await readJson(req, "invalid_order");
  const order = orderRequestSchema.safeParse(body);
  if (!order.success) {
    sendJson(res, 400, { error: "invalid_order", message: z.prettifyError(order.error), issues: order.error.issues });
    return "invalid_order";
  }

  const store = { redis: ctx.redis, prefix: ctx.prefix };
  const fingerprint = fingerprintBody(body);
  const claim = await claimKey({ ...store, idempotencyKey: key, fingerprint });
  switch (claim.outcome) {
    case "replay":
      sendJson(res, claim.response.status, claim.response.body, { "idempotent-replayed": "true" });
      return "replayed";
    case "in_progress":
      throw new HttpError(409, "idempotency_in_progress", "An order with this Idempotency-Key is being processed.", {
        "retry-after": "1",
      });
    case "reused":
      throw new HttpError(422, "idempotency_key_reused", "This Idempotency-Key was already used for another order.");
  }

  const release = () => releaseKey({ ...store, idempotencyKey: key, marker: claim.marker });
  try {
    const faults = await readFaults(store);
    if (faults.delayMs > 0) await sleep(faults.delayMs, undefined, { signal: ctx.shutdown });
    const fault = rollFault(faults);
    if (fault === "fail") {
      await release();
      sendJson(res, 503, { error: "unavailable", message: "The supplier portal is unavailable (simulated fault)." });
      return "failed";
    }
    if (fault === "reject") {
      await release();
      sendJson(res, 422, {
        error: "order_rejected",
        message: "The supplier refused the order, for example over an unknown SKU (simulated fault).",
      });
      return "rejected";
    }

    const receivedAt = new Date().toISOString();
    const acknowledgement: OrderAcknowledgement = {
      supplierReference: `SO-${randomBytes(5).toString("hex").toUpperCase()}`,
      status: "acknowledged",
      purchaseOrderId: order.data.purchaseOrderId,
      receivedAt,
    };
    const stored = await acceptOrder({
      ...store,
      marker: claim.marker,
      fingerprint,
      response: { status: 201, body: acknowledgement },
      order: {
        purchaseOrderId: order.data.purchaseOrderId,
        idempotencyKey: key,
        supplierReference: acknowledgement.supplierReference,
        receivedAt,
        lines: order.data.lines,
      },
    });
    if (!stored) {
      // The claim was lost meanwhile (DELETE /orders, or an expired marker):
      // nothing was stored, so the caller may simply retry.
      sendJson(res, 503, { error: "unavailable", message: "The order was not taken; retry with the same key." });
      return "claim_lost";
    }
    if (fault === "drop_response") {
      // The order is taken and its key stored, but the caller never hears so:
      // only a retry with the same key tells it (Idempotent-Replayed).
      res.socket?.destroy();
      return "accepted_response_dropped";
    }
    sendJson(res, 201, acknowledgement);
    return "accepted";
  } catch (error) {
    await release().catch(() => {});
    if (ctx.shutdown.aborted) throw new HttpError(503, "unavailable", "The supplier portal is shutting down.");
    throw error;
  }
}
