import { replanHandler } from "../planning/replan-handler";
import { supplierDeliveryHandler } from "../purchasing/supplier-delivery-handler";
import { withDeliveryRiskTriggers } from "../risk/delivery-risk-triggers";
import { riskHandler } from "../risk/risk-handler";
import type { AnyExternalHandler } from "./handler";

/** Messages with a handler of their own (suppliers' APIs, the planner, the risk check), by event type. */
export const externalHandlers: ReadonlyMap<string, AnyExternalHandler> = new Map<string, AnyExternalHandler>(
  // A failed delivery, or a new order to a supplier at high risk, asks for a fresh assessment of the supplier.
  [withDeliveryRiskTriggers(supplierDeliveryHandler), replanHandler, riskHandler].map((handler) => [
    handler.eventType,
    handler,
  ]),
);
