import { setTimeout as sleep } from "node:timers/promises";

export type WaitOptions = {
  timeoutMs?: number;
  intervalMs?: number;
  /** Appended to the timeout error: what the state was when we gave up. */
  status?: () => Promise<string> | string;
};

/**
 * Polls `check` until it returns something other than undefined, null or
 * false, and returns that. Gives up after `timeoutMs` with an error that
 * says what was awaited and, through `status`, how far it got: a test that
 * waits on other processes must never hang, and must fail readably.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 30_000, intervalMs = 100, status }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== null && result !== false) return result;
    if (Date.now() > deadline) {
      const state = status ? `\n${await status()}` : "";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.${state}`);
    }
    await sleep(intervalMs);
  }
}
