import type { ExternalHandler } from "../outbox/handler";
import { applyPlan, applyPlanTransactionTimeoutMs } from "./apply-plan";
import { loadPlanningState } from "./load-planning-state";
import { planReroute } from "./plan-reroute";
import type { PlanMachine, PlanResult, PlanWorkOrder } from "./plan-types";
import { type ReplanRequest, replanRequestedEvent, replanRequestSchema } from "./replan-request";

type Planned = { plan: PlanResult; machines: PlanMachine[]; workOrders: PlanWorkOrder[] };

// The planner, run by the outbox relay in the worker: `deliver` reads the
// factory and computes the plan (no transaction held while it thinks), and
// `onDelivered` writes it in the transaction that marks the request done, so
// a plan is applied exactly once even if a worker dies half-way. Requests
// share one aggregate, so re-plans run one at a time, in the order of the
// machine events.
export const replanHandler: ExternalHandler<ReplanRequest, Planned> = {
  eventType: replanRequestedEvent,
  schema: replanRequestSchema,

  async deliver(request, _message, { log }) {
    const state = await loadPlanningState();
    const started = performance.now();
    const plan = planReroute({ ...state, trigger: { machineId: request.machineId, type: request.type } });
    log.info(
      {
        machineId: request.machineId,
        type: request.type,
        orders: state.workOrders.length,
        moves: plan.moves.length,
        waiting: plan.waiting.length,
        planMs: Math.round((performance.now() - started) * 100) / 100,
      },
      "re-plan computed",
    );
    return { plan, ...state };
  },

  // The write is a fixed handful of statements, but may wait up to 5 s for
  // a row lock: see apply-plan.ts.
  deliveredTransactionTimeoutMs: applyPlanTransactionTimeoutMs,

  async onDelivered(tx, request, planned) {
    await applyPlan({ tx, request, ...planned });
  },
};
