-- Supplier risk: every assessment is kept (the dashboard's trend), with the
-- figures behind it, who scored it (an AI provider, or the built-in model)
-- and how long the decision took; and the requests that lead to them.

CREATE TABLE supplier_risk_assessments (
  id              bigserial PRIMARY KEY,
  supplier_id     integer NOT NULL REFERENCES suppliers (id),
  score           integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  level           text NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
  -- The deterministic model's factors: [{key, label, value, unit, weight, contribution, detail}].
  factors         jsonb NOT NULL,
  analysis        text NOT NULL,
  -- The provider that answered (its configured name), or 'model' for the built-in model.
  source          text NOT NULL,
  -- The provider's model, or the built-in model's version.
  model           text NOT NULL,
  -- From the start of the assessment to the decision.
  latency_ms      integer NOT NULL CHECK (latency_ms >= 0),
  -- What the built-in model says for the same figures, shown beside an AI's answer.
  baseline_score  integer NOT NULL CHECK (baseline_score BETWEEN 0 AND 100),
  baseline_level  text NOT NULL CHECK (baseline_level IN ('low', 'medium', 'high', 'critical')),
  -- Every provider call of the decision: [{provider, outcome, status, ms}], for the admin asking "why the model?".
  attempts        jsonb NOT NULL DEFAULT '[]',
  trigger         text NOT NULL
                  CHECK (trigger IN ('request', 'schedule', 'delivery_failed', 'delivery_late', 'order_to_high_risk')),
  reason          text,
  assessed_at     timestamptz NOT NULL DEFAULT now()
);
-- The latest per supplier, and one supplier's trend.
CREATE INDEX supplier_risk_assessments_supplier_idx ON supplier_risk_assessments (supplier_id, assessed_at DESC);

-- An assessment asked for (by a person, the schedule or a delivery event) and
-- handed to the worker through the outbox. Requests for a supplier that
-- arrive while one is still waiting join it (the partial unique index below):
-- a burst of failed deliveries costs one assessment, not one each. Once the
-- worker starts on a request, a new one may wait behind it, so an event that
-- happens during an assessment is never lost in it.
CREATE TABLE supplier_risk_requests (
  id             bigserial PRIMARY KEY,
  supplier_id    integer NOT NULL REFERENCES suppliers (id),
  trigger        text NOT NULL
                 CHECK (trigger IN ('request', 'schedule', 'delivery_failed', 'delivery_late', 'order_to_high_risk')),
  reason         text,
  requested_by   integer REFERENCES users (id),
  requested_at   timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  completed_at   timestamptz,
  assessment_id  bigint REFERENCES supplier_risk_assessments (id),
  -- Why no assessment came of it (the outbox gave up on the message).
  error          text
);
CREATE UNIQUE INDEX supplier_risk_requests_one_waiting_idx ON supplier_risk_requests (supplier_id)
  WHERE started_at IS NULL;
CREATE INDEX supplier_risk_requests_supplier_idx ON supplier_risk_requests (supplier_id, id);
