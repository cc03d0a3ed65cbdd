import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import { SqlState, sqlState } from "../errors";

/**
 * Retries a database call that failed only because of how it interleaved
 * with others: a deadlock or a serialization failure. PostgreSQL rolled the
 * transaction back, so running it again is safe, and the caller never sees
 * the error. Lock timeouts are not retried here: they mean "busy", and the
 * client is told to come back (503 with Retry-After).
 */
export const transientRetry = retry(
  handleWhen((error) => {
    const state = sqlState(error);
    return state === SqlState.deadlockDetected || state === SqlState.serializationFailure;
  }),
  { maxAttempts: 5, backoff: new ExponentialBackoff({ initialDelay: 10, maxDelay: 200 }) },
);
