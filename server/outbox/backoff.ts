import { ExponentialBackoff, fullJitterGenerator } from "cockatiel";

/**
 * The wait before retry number `attempt` (1-based): exponential with full
 * jitter, from cockatiel's generator. The retry loop itself cannot live in
 * memory (a message's retries outlive any one worker process), so the delay
 * is computed here and stored as next_attempt_at.
 */
export function retryDelayMs({
  attempt,
  initialMs,
  maxMs,
}: {
  attempt: number;
  initialMs: number;
  maxMs: number;
}): number {
  let backoff = new ExponentialBackoff({
    initialDelay: initialMs,
    maxDelay: maxMs,
    generator: fullJitterGenerator,
  }).next();
  for (let i = 1; i < attempt; i++) backoff = backoff.next(undefined);
  // Full jitter may draw 0; keep a floor so a failing endpoint is not hit in a tight loop.
  return Math.max(Math.round(backoff.duration), Math.min(initialMs, 50));
}
