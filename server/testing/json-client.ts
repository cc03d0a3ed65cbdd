// Calls a stand-in's control API (faults, recorded requests) from a test:
// JSON in and out, a 10 s timeout, and an error naming the stand-in, the
// route and the answer when it is not 2xx.

export function jsonClient(base: string, name: string) {
  return async function request(method: string, route: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${base}${route}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`${name}: ${method} ${route} answered ${res.status}: ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  };
}
