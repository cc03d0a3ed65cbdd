import { beforeAll, describe, expect, it } from "vitest";
import { type Role, roles } from "@/server/auth/roles";
import { pool, prisma } from "@/server/db";
import { createSupplier } from "@/server/testing/factories";
import { actor, type CallOptions, call } from "@/server/testing/http";
import { insertAssessment, sampleFactors } from "@/server/testing/risk";
import { GET as getHistory } from "./[id]/risk/history/route";
import { GET as getRisk, POST as requestRisk } from "./[id]/risk/route";
import { GET as listRisk } from "./risk/route";
import { GET as listSuppliers } from "./route";

// The supplier risk API: who sees what, the shapes the dashboard reads, and
// bad input. No worker runs here: a POST's request stays waiting.

type Actor = Awaited<ReturnType<typeof actor>>;
const actors = {} as Record<Role, Actor>;
let assessed: { id: number; name: string };
let neverAssessed: { id: number; name: string };

const day = 86_400_000;

beforeAll(async () => {
  for (const role of roles) actors[role] = await actor(role);
  assessed = await createSupplier();
  neverAssessed = await createSupplier();
  // Three assessments: 40 days ago (outside the default window), 10 days ago, and just now.
  await insertAssessment({
    supplierId: assessed.id,
    score: 20,
    source: "model",
    model: "deterministic-v1",
    baselineScore: 20,
    assessedAt: new Date(Date.now() - 40 * day),
  });
  await insertAssessment({
    supplierId: assessed.id,
    score: 55,
    source: "groq",
    model: "llama-3.3-70b-versatile",
    baselineScore: 47,
    latencyMs: 3612,
    assessedAt: new Date(Date.now() - 10 * day),
  });
  await insertAssessment({ supplierId: assessed.id, score: 44, baselineScore: 41, latencyMs: 812 });
  await prisma().supplier.update({ where: { id: assessed.id }, data: { riskLevel: "medium" } });
});

const latestFull = () => ({
  score: 44,
  level: "medium",
  source: "openrouter",
  model: "google/gemini-2.5-flash",
  latencyMs: 812,
  assessedAt: expect.any(String),
  analysis: "Deliveries slip now and then; two items come from nobody else.",
  factors: sampleFactors,
  baseline: { score: 41, level: "medium" },
  trigger: "request",
});

describe("GET /api/suppliers/{id}/risk", () => {
  it("gives a manager the whole latest assessment", async () => {
    const res = await call(getRisk, { params: { id: String(assessed.id) }, token: actors.manager.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(latestFull());
    expect(res.body.factors.map((f: { key: string }) => f.key)).toEqual([
      "on_time_rate",
      "lead_time_variability",
      "failed_deliveries",
      "open_exposure",
      "single_source_items",
    ]);
    expect(res.body.factors[0]).toMatchObject({ value: 0.8, unit: "ratio", weight: 35, contribution: 14 });
  });

  it("gives a buyer the headline only: no factors, no analysis", async () => {
    const res = await call(getRisk, { params: { id: String(assessed.id) }, token: actors.purchasing.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ score: 44, level: "medium", source: "openrouter", assessedAt: expect.any(String) });
  });

  it("answers 404 for a supplier never assessed, and for one that does not exist", async () => {
    const never = await call(getRisk, { params: { id: String(neverAssessed.id) }, token: actors.manager.token });
    expect(never).toMatchObject({
      status: 404,
      body: { error: "not_found", supplierId: neverAssessed.id, assessed: false },
    });
    const unknown = await call(getRisk, { params: { id: "999999" }, token: actors.manager.token });
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: "not_found", message: "Supplier 999999 does not exist." },
    });
  });
});

describe("GET /api/suppliers/risk", () => {
  it("lists every supplier with its latest assessment, null fields when never assessed", async () => {
    const res = await call(listRisk, { token: actors.admin.token });
    expect(res.status).toBe(200);
    const byId = new Map(res.body.suppliers.map((s: { id: number }) => [s.id, s]));
    expect(byId.get(assessed.id)).toEqual({ id: assessed.id, name: assessed.name, ...latestFull() });
    expect(byId.get(neverAssessed.id)).toEqual({
      id: neverAssessed.id,
      name: neverAssessed.name,
      score: null,
      level: null,
      source: null,
      model: null,
      latencyMs: null,
      assessedAt: null,
      analysis: null,
      factors: null,
      baseline: null,
      trigger: null,
    });
  });
});

describe("GET /api/suppliers/{id}/risk/history", () => {
  it("gives the last 30 days oldest first", async () => {
    const res = await call(getHistory, { params: { id: String(assessed.id) }, token: actors.manager.token });
    expect(res.status).toBe(200);
    expect(res.body.assessments).toEqual([
      {
        score: 55,
        level: "high",
        source: "groq",
        model: "llama-3.3-70b-versatile",
        latencyMs: 3612,
        assessedAt: expect.any(String),
        baselineScore: 47,
      },
      {
        score: 44,
        level: "medium",
        source: "openrouter",
        model: "google/gemini-2.5-flash",
        latencyMs: 812,
        assessedAt: expect.any(String),
        baselineScore: 41,
      },
    ]);
  });

  it("reaches further back with ?days=", async () => {
    const res = await call(getHistory, {
      path: "/api/test?days=60",
      params: { id: String(assessed.id) },
      token: actors.manager.token,
    });
    expect(res.body.assessments.map((a: { score: number }) => a.score)).toEqual([20, 55, 44]);
  });

  it("is empty for a supplier never assessed", async () => {
    const res = await call(getHistory, { params: { id: String(neverAssessed.id) }, token: actors.admin.token });
    expect(res).toMatchObject({ status: 200, body: { assessments: [] } });
  });
});

describe("POST /api/suppliers/{id}/risk", () => {
  const waiting = (supplierId: number) =>
    pool().query(
      `SELECT r.trigger, r.requested_by, m.event_type, m.aggregate_type, m.aggregate_id, m.payload
       FROM supplier_risk_requests r
       JOIN outbox_messages m ON m.payload->>'requestId' = r.id::text
       WHERE r.supplier_id = $1 AND r.started_at IS NULL`,
      [supplierId],
    );

  it("answers 202 at once and leaves the request for the worker; a repeat joins it", async () => {
    const supplier = await createSupplier();
    const first = await call(requestRisk, {
      params: { id: String(supplier.id) },
      token: actors.purchasing.token,
      idempotencyKey: "none",
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ requestedAt: expect.any(String) });

    const again = await call(requestRisk, { params: { id: String(supplier.id) }, token: actors.manager.token });
    expect(again).toMatchObject({ status: 202, body: { requestedAt: first.body.requestedAt } });

    const { rows } = await waiting(supplier.id);
    expect(rows).toEqual([
      {
        trigger: "request",
        requested_by: actors.purchasing.user.id,
        event_type: "supplier.risk_requested",
        aggregate_type: "supplier_risk",
        aggregate_id: String(supplier.id),
        payload: { requestId: expect.stringMatching(/^\d+$/), supplierId: supplier.id },
      },
    ]);
  });

  it("answers 404 for an unknown supplier and writes nothing", async () => {
    const res = await call(requestRisk, { params: { id: "999999" }, token: actors.manager.token });
    expect(res).toMatchObject({ status: 404, body: { error: "not_found" } });
    expect((await pool().query("SELECT 1 FROM supplier_risk_requests WHERE supplier_id = 999999")).rowCount).toBe(0);
  });
});

describe("bad input", () => {
  it.each([
    ["a supplier id that is not a number", getRisk, { params: { id: "abc" } }, ["id"]],
    ["a supplier id of 0", getRisk, { params: { id: "0" } }, ["id"]],
    ["a fractional supplier id", requestRisk, { params: { id: "1.5" } }, ["id"]],
    ["days=0", getHistory, { params: { id: "1" }, path: "/api/test?days=0" }, ["days"]],
    ["days=400", getHistory, { params: { id: "1" }, path: "/api/test?days=400" }, ["days"]],
    ["days=soon", getHistory, { params: { id: "1" }, path: "/api/test?days=soon" }, ["days"]],
  ] as const)("refuses %s with 400 and its issues", async (_, handler, options, path) => {
    const res = await call(handler, { ...(options as CallOptions), token: actors.admin.token });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "invalid_request", issues: [expect.objectContaining({ path })] });
  });
});

describe("who may do what", () => {
  const routes = [
    { name: "GET /api/suppliers/risk", handler: listRisk, allowed: ["manager", "admin"], params: {} },
    { name: "GET /api/suppliers/{id}/risk", handler: getRisk, allowed: ["purchasing", "manager", "admin"] },
    { name: "POST /api/suppliers/{id}/risk", handler: requestRisk, allowed: ["purchasing", "manager", "admin"] },
    { name: "GET /api/suppliers/{id}/risk/history", handler: getHistory, allowed: ["manager", "admin"] },
  ] as const;
  const matrix = routes.flatMap((route) => roles.map((role) => [route.name, role, route] as const));

  it.each(matrix)("%s as %s", async (_, role, route) => {
    const res = await call(route.handler, {
      method: route.name.split(" ")[0],
      params: { id: String(assessed.id) },
      token: actors[role].token,
    });
    if ((route.allowed as readonly string[]).includes(role)) {
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    } else {
      expect(res).toMatchObject({
        status: 403,
        body: { error: "forbidden", message: `The ${role} role may not do this.` },
      });
    }
  });

  it.each(routes.map((route) => [route.name, route] as const))("%s without credentials → 401", async (_, route) => {
    const res = await call(route.handler, { method: route.name.split(" ")[0], params: { id: String(assessed.id) } });
    expect(res).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
  });
});

describe("GET /api/suppliers", () => {
  it("shows each supplier's current risk level", async () => {
    const res = await call(listSuppliers, { token: actors.purchasing.token });
    const byId = new Map(res.body.suppliers.map((s: { id: number; riskLevel: string | null }) => [s.id, s.riskLevel]));
    expect(byId.get(assessed.id)).toBe("medium");
    expect(byId.get(neverAssessed.id)).toBeNull();
  });
});
