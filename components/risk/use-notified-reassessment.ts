"use client";

import { ApiError } from "../api-client";
import { useToast } from "../toast";
import { describeSource, formatScore, levelLabel } from "./risk-format";
import { fetchLatestAssessment } from "./risk-queries";
import { useReassessment } from "./use-reassessment";
import type { useRiskLive } from "./use-risk-live";

/**
 * "Reassess now" with its toasts, for both risk views. The managers'
 * dashboard tells the score and its source; the buyers' view tells the level
 * only, as everywhere else a buyer looks at risk.
 */
export function useNotifiedReassessment(live: ReturnType<typeof useRiskLive>, shows: "score" | "level") {
  const notify = useToast();
  return useReassessment({
    subscribe: live.subscribe,
    check: async (supplierId) => {
      try {
        const latest = await fetchLatestAssessment(supplierId);
        return shows === "score" ? latest : { ...latest, score: null, source: null };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    onResult: (supplier, outcome) => {
      live.invalidate();
      notify({
        tone: "success",
        title: `${supplier.name} reassessed: ${levelLabel(outcome.level).toLowerCase()} risk`,
        body:
          shows === "score"
            ? `Score ${formatScore(outcome.score)}, from ${describeSource(outcome.source).label}.`
            : undefined,
      });
    },
    onFailure: (supplier, message) =>
      notify({ tone: "error", title: `Could not ask for an assessment of ${supplier.name}`, body: message }),
    onStillRunning: (supplier) => {
      live.invalidate();
      notify({
        tone: "info",
        title: `The assessment of ${supplier.name} is taking longer than usual`,
        body:
          shows === "score"
            ? "It will show here as soon as it is done."
            : "Its level will change here as soon as it is done.",
      });
    },
  });
}
