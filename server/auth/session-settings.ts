import { env } from "../env";

/**
 * How long a browser session lasts: `absoluteMs` from login whatever happens
 * (SESSION_TTL_HOURS), and `idleSeconds` without a request (SESSION_IDLE_MINUTES).
 * Activity is written at most every `touchEverySeconds` (a minute, or a tenth
 * of a short idle timeout), so a busy page costs one small UPDATE a minute.
 */
export function sessionSettings() {
  const { SESSION_TTL_HOURS, SESSION_IDLE_MINUTES } = env();
  const idleSeconds = SESSION_IDLE_MINUTES * 60;
  return {
    absoluteMs: SESSION_TTL_HOURS * 3600_000,
    idleSeconds,
    touchEverySeconds: Math.min(60, idleSeconds / 10),
  };
}
