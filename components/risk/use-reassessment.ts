"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, apiFetch, errorText } from "../api-client";
import type { useLiveEvents } from "../use-live-events";
import { type AssessmentOutcome, ReassessmentTracker, type SupplierRef } from "./reassessment-tracker";

type Options = {
  subscribe: ReturnType<typeof useLiveEvents>["subscribe"];
  check: (supplierId: number) => Promise<AssessmentOutcome | null>;
  onResult: (supplier: SupplierRef, outcome: AssessmentOutcome) => void;
  onFailure: (supplier: SupplierRef, message: string) => void;
  onStillRunning: (supplier: SupplierRef) => void;
};

/**
 * "Reassess now": POST /api/suppliers/{id}/risk (202 with `requestedAt`),
 * then wait for the answer as ReassessmentTracker describes: the push, or
 * the API asked directly when no push came within 10 s.
 */
export function useReassessment({ subscribe, check, onResult, onFailure, onStillRunning }: Options) {
  const [pendingIds, setPendingIds] = useState<ReadonlySet<number>>(new Set());
  const callbacks = useRef({ check, onResult, onFailure, onStillRunning });
  callbacks.current = { check, onResult, onFailure, onStillRunning };
  const [tracker] = useState(
    () => new ReassessmentTracker(() => ({ ...callbacks.current, onChange: (ids) => setPendingIds(ids) })),
  );

  useEffect(() => () => tracker.dispose(), [tracker]);
  useEffect(
    () => subscribe("supplier.risk", ({ payload }) => tracker.push(payload.supplierId, payload)),
    [subscribe, tracker],
  );

  const request = useCallback(
    async (supplier: SupplierRef) => {
      if (!tracker.begin(supplier)) return; // already on its way: one request per supplier
      try {
        // No Idempotency-Key: a repeat while a request is waiting joins it on the server.
        const accepted = await apiFetch<{ requestedAt: string }>(`/api/suppliers/${supplier.id}/risk`, {
          method: "POST",
        });
        tracker.accepted(supplier.id, accepted.requestedAt);
      } catch (error) {
        tracker.failed(supplier.id);
        const message =
          error instanceof ApiError && error.status === 403
            ? "Your role may not ask for assessments."
            : errorText(error);
        callbacks.current.onFailure(supplier, message);
      }
    },
    [tracker],
  );

  return { pendingIds, request };
}
