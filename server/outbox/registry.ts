import { replanHandler } from "../planning/replan-handler";
import { supplierDeliveryHandler } from "../purchasing/supplier-delivery-handler";
import type { AnyExternalHandler } from "./handler";

/** Messages with a handler of their own (suppliers' APIs, the planner), by event type. */
export const externalHandlers: ReadonlyMap<string, AnyExternalHandler> = new Map<string, AnyExternalHandler>(
  [supplierDeliveryHandler, replanHandler].map((handler) => [handler.eventType, handler]),
);
