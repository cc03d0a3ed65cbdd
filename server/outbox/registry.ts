import { supplierDeliveryHandler } from "../purchasing/supplier-delivery-handler";
import type { AnyExternalHandler } from "./handler";

/** Messages delivered to systems outside the company, by event type. */
export const externalHandlers: ReadonlyMap<string, AnyExternalHandler> = new Map<string, AnyExternalHandler>(
  [supplierDeliveryHandler].map((handler) => [handler.eventType, handler]),
);
