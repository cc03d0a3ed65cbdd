/**
 * Waits until the web server answers over HTTP. Any status counts as up: a
 * 503 from /api/health means the server runs and says what is missing, and a
 * 404 means the route is not there yet (an app mid-development).
 */
export async function waitForHttp(
  url: string,
  { timeoutMs, stillWorthWaiting }: { timeoutMs: number; stillWorthWaiting: () => boolean },
): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillWorthWaiting()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return { status: response.status, body: await response.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
}
