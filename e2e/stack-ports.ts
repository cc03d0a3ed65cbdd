// Every port of the e2e stack, derived from E2E_PORT (the front door, which
// Playwright's baseURL points at) unless one is set on its own, so that
// several checkouts can run the suite side by side: give each its own
// E2E_PORT, 100 apart (offsets reach +52).
export type StackPorts = {
  /** nginx: HTTPS (plain HTTP with E2E_TLS=off). */
  front: number;
  /** Plain HTTP that nginx redirects to HTTPS. */
  httpRedirect: number;
  web: number;
  supplierSim: number;
  llmSim: number;
  /** The first realtime instance; the others take the next ports. */
  realtime: number;
  workerMetrics: number;
  /** The first realtime instance's metrics; the others take the next ports. */
  realtimeMetrics: number;
};

export function stackPorts(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const front = port(env.E2E_PORT, 3100, "E2E_PORT");
  const from = (name: string, offset: number) => port(env[name], front + offset, name);
  return {
    front,
    web: from("E2E_WEB_PORT", 1),
    supplierSim: from("E2E_SUPPLIER_SIM_PORT", 2),
    llmSim: from("E2E_LLM_SIM_PORT", 3),
    realtime: from("E2E_REALTIME_PORT", 4),
    httpRedirect: from("E2E_HTTP_PORT", 8),
    workerMetrics: from("E2E_WORKER_METRICS_PORT", 50),
    realtimeMetrics: from("E2E_REALTIME_METRICS_PORT", 51),
  };
}

function port(value: string | undefined, fallback: number, name: string): number {
  const port = value ? Number(value) : fallback;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${value} is not a TCP port`);
  return port;
}

/** HTTPS through nginx unless E2E_TLS=off. */
export const e2eTls = (env: NodeJS.ProcessEnv = process.env) => env.E2E_TLS !== "off";
