import http from "node:http";
import https from "node:https";

export type HttpAnswer = { status: number; body: string };

/**
 * Waits until a server answers over HTTP(S). Any status counts as up unless
 * `accept` says otherwise: a 503 from /api/health means the server runs and
 * says what is missing, and a 404 means the route is not there yet (an app
 * mid-development). Through a proxy, pass an `accept` that refuses its
 * gateway errors (502, 504): those mean the proxy is up but not its upstream.
 */
export async function waitForHttp(
  url: string,
  {
    timeoutMs,
    stillWorthWaiting,
    accept = () => true,
  }: { timeoutMs: number; stillWorthWaiting: () => boolean; accept?: (status: number) => boolean },
): Promise<HttpAnswer> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline && stillWorthWaiting()) {
    try {
      const answer = await get(url);
      if (accept(answer.status)) return answer;
      last = `${answer.status} ${answer.body.slice(0, 80)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s (last: ${last})`);
}

export const notGatewayError = (status: number) => status !== 502 && status !== 504;

/**
 * One GET. The certificate is not checked: this only probes our own
 * servers on this machine, which may well serve the self-signed trial
 * certificate, or a real one for a name other than 127.0.0.1.
 */
export function get(url: string, timeoutMs = 5000): Promise<HttpAnswer> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { rejectUnauthorized: false, timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
  });
}
