import { requestDueAssessments } from "./request-due-assessments";
import { riskLog } from "./risk-log";

/**
 * Runs the schedule in the worker: a first look shortly after start (a fresh
 * install gets its first assessments within seconds), then every
 * `intervalMs`. A look that fails (database away) is logged and the next one
 * tries again.
 */
export function startRiskSchedule({
  intervalMs,
  refreshHours,
  firstDelayMs = 1000,
}: {
  intervalMs: number;
  refreshHours: number;
  firstDelayMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = requestDueAssessments({ refreshHours })
      .then((count) => {
        if (count > 0) riskLog.info({ count }, "risk assessments scheduled");
      })
      .catch((error: unknown) => riskLog.warn({ err: error }, "risk schedule round failed; trying again later"))
      .finally(() => {
        running = undefined;
      });
  };
  const first = setTimeout(tick, firstDelayMs);
  const every = setInterval(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
