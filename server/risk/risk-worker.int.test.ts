import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as getRisk, POST as requestRisk } from "@/app/api/suppliers/[id]/risk/route";
import { pool } from "../db";
import { redis } from "../redis";
import { readLiveEvents } from "../testing/delivery";
import { createSupplier } from "../testing/factories";
import { actor, call } from "../testing/http";
import { fakeKeys, type LlmSimProcess, simProviders, startLlmSim } from "../testing/llm-sim";
import { startWorker, stopAllProcesses, type WorkerProcess } from "../testing/processes";
import { waitFor } from "../testing/wait-for";
import { SharedBreaker } from "./shared-breaker";

// The whole path with real processes: a person asks (the route, in this
// process), a worker process takes the request from the outbox, asks the
// LLM stand-in (another process) through the provider chain, stores the
// assessment and announces it on the live-event stream.

let sim: LlmSimProcess;
let manager: Awaited<ReturnType<typeof actor>>;
const workers: WorkerProcess[] = [];
const logs: string[] = [];

beforeAll(async () => {
  sim = await startLlmSim();
  manager = await actor("manager");
});

afterEach(async () => {
  for (const worker of workers.splice(0)) {
    logs.push(worker.output(400));
    await worker.stop();
  }
  logs.push(sim.process.output(400));
  await sim.healAll();
  await sim.clearCalls();
  // Each test starts with every breaker closed (the workers share the test file's Redis prefix).
  await redis().del(...simProviders.map((name) => SharedBreaker.key(name)));
});

afterAll(async () => {
  await stopAllProcesses();
});

async function worker(env: Record<string, string> = {}) {
  const started = await startWorker({
    supplierUrl: "http://127.0.0.1:9/",
    env: { RISK_PROVIDERS: sim.providersEnv(), LOG_LEVEL: "debug", ...env },
  });
  workers.push(started);
  return started;
}

type Stored = { id: string; source: string; attempts: { provider: string; outcome: string }[]; latency_ms: number };

/** Asks for an assessment as a manager would, and waits for the worker to store it. */
async function requestAndWait(supplierId: number): Promise<Stored> {
  const asked = await call(requestRisk, { params: { id: String(supplierId) }, token: manager.token });
  expect(asked.status).toBe(202);
  return waitFor(
    `an assessment of supplier ${supplierId}`,
    async () => {
      const { rows } = await pool().query<Stored>(
        "SELECT id::text, source, attempts, latency_ms FROM supplier_risk_assessments WHERE supplier_id = $1",
        [supplierId],
      );
      return rows[0];
    },
    { timeoutMs: 30_000, status: () => workers.map((w) => w.describe()).join("\n") },
  );
}

const outcomes = (stored: Stored) => stored.attempts.map((a) => `${a.provider}:${a.outcome}`);

describe("risk assessments in the worker", () => {
  it("answers a request: stored, pushed as supplier.risk, and in the GET", async () => {
    await worker();
    const supplier = await createSupplier();
    const stored = await requestAndWait(supplier.id);
    expect(stored.source).toBe("openrouter");

    const res = await call(getRisk, { params: { id: String(supplier.id) }, token: manager.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ source: "openrouter", model: "openrouter-test-model", trigger: "request" });

    const event = await waitFor("the supplier.risk event on the stream", async () =>
      (await readLiveEvents(redis())).find(
        (e) => e.type === "supplier.risk" && (e.payload as { supplierId: number }).supplierId === supplier.id,
      ),
    );
    expect(event.payload).toEqual({
      supplierId: supplier.id,
      assessmentId: stored.id,
      score: res.body.score,
      level: res.body.level,
      previousLevel: null,
      source: "openrouter",
      model: "openrouter-test-model",
      latencyMs: stored.latency_ms,
      assessedAt: res.body.assessedAt,
    });
    const { rows } = await pool().query(
      "SELECT started_at IS NOT NULL AS started, completed_at IS NOT NULL AS completed, assessment_id::text FROM supplier_risk_requests WHERE supplier_id = $1",
      [supplier.id],
    );
    expect(rows).toEqual([{ started: true, completed: true, assessment_id: stored.id }]);
    const level = await pool().query("SELECT risk_level FROM suppliers WHERE id = $1", [supplier.id]);
    expect(level.rows[0].risk_level).toBe(res.body.level);
  });

  it("still answers with the first provider down: the second provider's answer, within the decision's deadline", async () => {
    await worker();
    // A first assessment warms the new process up (its database connections, its code), as in steady use.
    await requestAndWait((await createSupplier()).id);
    await sim.setFaults({ openrouter: "timeout" });
    const stored = await requestAndWait((await createSupplier()).id);
    expect(stored.source).toBe("groq");
    expect(outcomes(stored)).toEqual(["openrouter:timeout", "groq:ok"]);
    expect(stored.latency_ms).toBeLessThan(4500 + 500);
  }, 120_000);

  it("shares the breaker between worker processes: what one learnt, the next skips without a call", async () => {
    await sim.setFaults({ openrouter: "error" });
    const breaker = { RISK_BREAKER_THRESHOLD: "3", RISK_BREAKER_COOLDOWN_MS: "60000" };
    const first = await worker(breaker);
    for (let i = 0; i < 3; i++) {
      expect(outcomes(await requestAndWait((await createSupplier()).id))).toEqual([
        "openrouter:server_error",
        "groq:ok",
      ]);
    }
    expect((await sim.calls("openrouter")).length).toBe(3);

    // A second worker process, with its own memory and Redis connection; the first stops, so the second answers.
    await worker(breaker);
    await first.stop();
    const answered = await requestAndWait((await createSupplier()).id);
    expect(outcomes(answered)).toEqual(["openrouter:breaker_open", "groq:ok"]);
    expect((await sim.calls("openrouter")).length).toBe(3);
  }, 180_000); // two worker processes to start, on a machine that may be busy
});

describe("provider keys", () => {
  it("appear in no log line of the workers or the stand-in, nor in any stored assessment", async () => {
    const everything = logs.join("\n");
    // The workers logged at debug level: there is plenty to look through.
    expect(everything).toContain("risk providers configured");
    expect(everything).toContain("risk provider failed");
    const { rows } = await pool().query("SELECT row_to_json(a)::text AS row FROM supplier_risk_assessments a");
    const stored = rows.map((r) => r.row).join("\n");
    for (const key of Object.values(fakeKeys)) {
      expect(everything).not.toContain(key);
      expect(stored).not.toContain(key);
    }
  });
});
