-- What the planner changed and why, one row per decision, for the planning
-- page ("moved from Press 2 to Press 4: Press 2 breakdown; earliest capable
-- machine (2 orders ahead)"). Written in the transaction that applies the
-- re-plan, so the page never shows a move that did not happen.
CREATE TABLE plan_changes (
  id                  bigserial PRIMARY KEY,
  -- The machine event the re-plan answered.
  machine_event_id    bigint REFERENCES machine_events (id),
  trigger_machine_id  integer NOT NULL REFERENCES machines (id),
  trigger_type        text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('moved', 'waiting')),
  work_order_id       integer NOT NULL REFERENCES work_orders (id),
  from_machine_id     integer REFERENCES machines (id),
  to_machine_id       integer REFERENCES machines (id),
  explanation         text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plan_changes_moved_has_target CHECK (kind <> 'moved' OR to_machine_id IS NOT NULL)
);
-- The page reads the newest rows (the primary key, backwards); an order's
-- history reads this one.
CREATE INDEX plan_changes_work_order_id_idx ON plan_changes (work_order_id, id);
