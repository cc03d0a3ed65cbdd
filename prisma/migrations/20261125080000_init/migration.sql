-- The first cut of the ERP's data: people and access, the factory's layout,
-- stock and its ledger, reservations, suppliers, and the transactional outbox.
--
-- Tables that take an UPDATE on almost every business event (inventory_items,
-- machines, outbox_messages) are created with fillfactor = 80 so that the new
-- row version usually fits on the same page (a HOT update: no index entries
-- written, less WAL), and with autovacuum thresholds of their own so that
-- dead versions are cleaned long before the global 20 % scale factor would.

-- ---------------------------------------------------------------- factory layout

CREATE TABLE work_centers (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE machines (
  id              serial PRIMARY KEY,
  work_center_id  integer NOT NULL REFERENCES work_centers (id),
  code            text NOT NULL UNIQUE,
  name            text NOT NULL,
  status          text NOT NULL DEFAULT 'idle'
                  CHECK (status IN ('running', 'idle', 'breakdown', 'material_shortage', 'maintenance')),
  capabilities    text[] NOT NULL DEFAULT '{}',
  status_since    timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
) WITH (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05,
  autovacuum_vacuum_cost_limit = 1000
);
-- No index on status or status_since: they change on every event, and an
-- index on them would turn every status change into a non-HOT update.
CREATE INDEX machines_work_center_id_idx ON machines (work_center_id);

-- ---------------------------------------------------------------- people

CREATE TABLE users (
  id              serial PRIMARY KEY,
  username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{2,64}$'),
  display_name    text NOT NULL,
  password_hash   text NOT NULL,
  role            text NOT NULL CHECK (role IN ('purchasing', 'planner', 'operator', 'manager', 'admin')),
  work_center_id  integer REFERENCES work_centers (id),
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- An operator always belongs to exactly one work-center group.
  CONSTRAINT users_operator_has_work_center CHECK (role <> 'operator' OR work_center_id IS NOT NULL)
);

-- Browser sessions. Only the SHA-256 of the cookie's token is stored, so a
-- leaked copy of this table cannot be replayed as a cookie.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  user_agent  text
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- Bearer tokens for tablets and integrations, stored hashed like sessions.
CREATE TABLE api_tokens (
  id            serial PRIMARY KEY,
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  user_id       integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_by    integer REFERENCES users (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  actor_id     integer REFERENCES users (id),
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  detail       jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_at_idx ON audit_log (created_at);

-- ---------------------------------------------------------------- stock

CREATE TABLE inventory_items (
  id            serial PRIMARY KEY,
  sku           text NOT NULL UNIQUE,
  name          text NOT NULL,
  unit          text NOT NULL DEFAULT 'pcs',
  stock_qty     integer NOT NULL DEFAULT 0,
  reserved_qty  integer NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  -- The last line of defence against double booking: even a wrong query
  -- cannot reserve more than is on hand, or release more than was reserved.
  CONSTRAINT inventory_items_reserved_within_stock CHECK (reserved_qty >= 0 AND reserved_qty <= stock_qty)
) WITH (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_limit = 1000,
  autovacuum_vacuum_cost_delay = 10
);
-- Name search for the purchasing page. Indexes touch sku and name only, never
-- the quantities, so reservations stay HOT updates.
CREATE INDEX inventory_items_name_lower_idx ON inventory_items (lower(name));

-- The append-only ledger: every change of stock_qty or reserved_qty leaves a
-- row here, so any quantity can be explained.
CREATE TABLE inventory_movements (
  id              bigserial PRIMARY KEY,
  item_id         integer NOT NULL REFERENCES inventory_items (id),
  kind            text NOT NULL CHECK (kind IN ('receipt', 'reserve', 'release', 'consume', 'adjust')),
  qty             integer NOT NULL,
  stock_after     integer NOT NULL,
  reserved_after  integer NOT NULL,
  reservation_id  uuid,
  reference       text,
  actor_id        integer REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_movements_item_id_idx ON inventory_movements (item_id, id);

CREATE TABLE reservations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_ref        text NOT NULL,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'released', 'consumed')),
  created_by       integer NOT NULL REFERENCES users (id),
  -- The durable backstop behind the Redis idempotency keys.
  idempotency_key  uuid UNIQUE,
  request_hash     text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  released_at      timestamptz,
  released_by      integer REFERENCES users (id)
);
CREATE INDEX reservations_created_at_idx ON reservations (created_at DESC);

CREATE TABLE reservation_lines (
  reservation_id  uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
  item_id         integer NOT NULL REFERENCES inventory_items (id),
  qty             integer NOT NULL CHECK (qty > 0),
  PRIMARY KEY (reservation_id, item_id)
);
CREATE INDEX reservation_lines_item_id_idx ON reservation_lines (item_id);

-- ---------------------------------------------------------------- suppliers and work

CREATE TABLE suppliers (
  id              serial PRIMARY KEY,
  code            text NOT NULL UNIQUE,
  name            text NOT NULL,
  country         text,
  lead_time_days  integer NOT NULL DEFAULT 7 CHECK (lead_time_days >= 0),
  risk_level      text CHECK (risk_level IN ('low', 'medium', 'high', 'critical')),
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE work_orders (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  operation   text NOT NULL,
  item_id     integer REFERENCES inventory_items (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  priority    integer NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
  due_at      timestamptz NOT NULL,
  machine_id  integer REFERENCES machines (id),
  sequence    integer NOT NULL DEFAULT 0,
  status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'cancelled')),
  started_at  timestamptz,
  finished_at timestamptz,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_orders_machine_id_idx ON work_orders (machine_id, sequence);

CREATE TABLE machine_events (
  id           bigserial PRIMARY KEY,
  machine_id   integer NOT NULL REFERENCES machines (id),
  type         text NOT NULL,
  note         text,
  reported_by  integer REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX machine_events_machine_id_idx ON machine_events (machine_id, id);

-- ---------------------------------------------------------------- outbox

-- Every state change that others must hear about writes a row here in the
-- same transaction; the worker delivers it afterwards, at least once.
CREATE TABLE outbox_messages (
  id               bigserial PRIMARY KEY,
  aggregate_type   text NOT NULL,
  aggregate_id     text NOT NULL,
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  locked_until     timestamptz,
  processed_at     timestamptz,
  last_error       text,
  dead_lettered_at timestamptz
) WITH (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_limit = 1000
);
-- Only the rows still to deliver are indexed; delivered ones leave the index
-- (that update is not HOT, by design: it is what keeps the index tiny).
CREATE INDEX outbox_messages_pending_idx ON outbox_messages (next_attempt_at, id)
  WHERE processed_at IS NULL AND dead_lettered_at IS NULL;
CREATE INDEX outbox_messages_aggregate_idx ON outbox_messages (aggregate_type, aggregate_id, id)
  WHERE processed_at IS NULL AND dead_lettered_at IS NULL;
