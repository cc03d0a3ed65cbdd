-- Purchase orders and their delivery to the supplier through the outbox.

-- Where each supplier's order API lives. NULL means the default configured
-- for the installation (SUPPLIER_API_URL: the supplier portal).
ALTER TABLE suppliers ADD COLUMN api_url text;

CREATE TABLE purchase_orders (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  supplier_id        integer NOT NULL REFERENCES suppliers (id),
  status             text NOT NULL DEFAULT 'PENDING'
                     CHECK (status IN ('PENDING', 'SENT', 'ACKNOWLEDGED', 'FAILED', 'RECEIVED')),
  -- The client's Idempotency-Key: the durable backstop for the create call,
  -- and the key the order is sent to the supplier with, so that the
  -- supplier, too, takes it once however often it is delivered.
  idempotency_key    uuid NOT NULL UNIQUE,
  request_hash       text,
  supplier_reference text,
  failure_reason     text,
  created_by         integer NOT NULL REFERENCES users (id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  sent_at            timestamptz,
  acknowledged_at    timestamptz
) WITH (
  -- status and the timestamps change several times per order.
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05
);
CREATE INDEX purchase_orders_created_at_idx ON purchase_orders (created_at DESC);
CREATE INDEX purchase_orders_supplier_id_idx ON purchase_orders (supplier_id);

CREATE TABLE purchase_order_lines (
  purchase_order_id uuid NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
  line_no           integer NOT NULL CHECK (line_no > 0),
  item_id           integer NOT NULL REFERENCES inventory_items (id),
  qty               integer NOT NULL CHECK (qty > 0),
  unit_price        numeric(14, 4) NOT NULL CHECK (unit_price >= 0),
  received_qty      integer NOT NULL DEFAULT 0 CHECK (received_qty >= 0 AND received_qty <= qty),
  PRIMARY KEY (purchase_order_id, line_no),
  CONSTRAINT purchase_order_lines_one_line_per_item UNIQUE (purchase_order_id, item_id)
);
CREATE INDEX purchase_order_lines_item_id_idx ON purchase_order_lines (item_id);

-- Which worker holds a claimed message's lease (outbox_messages.locked_until).
ALTER TABLE outbox_messages ADD COLUMN locked_by text;

-- Every delivery attempt of an outbox message, kept for the people following
-- an order ("attempt 3 failed: supplier answered 503; next try 10:42:07") and
-- for the admin's view of dead letters.
CREATE TABLE delivery_attempts (
  id                bigserial PRIMARY KEY,
  -- No foreign key: processed outbox rows are pruned, the history stays.
  outbox_message_id bigint NOT NULL,
  aggregate_type    text NOT NULL,
  aggregate_id      text NOT NULL,
  attempt           integer NOT NULL,
  attempted_at      timestamptz NOT NULL DEFAULT now(),
  outcome           text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'dead_lettered')),
  error             text,
  duration_ms       integer,
  next_attempt_at   timestamptz,
  worker            text
);
CREATE INDEX delivery_attempts_aggregate_idx ON delivery_attempts (aggregate_type, aggregate_id, id);
CREATE INDEX delivery_attempts_outbox_message_id_idx ON delivery_attempts (outbox_message_id);

-- The admin's dead-letter list and the lag figures read these.
CREATE INDEX outbox_messages_dead_lettered_idx ON outbox_messages (dead_lettered_at) WHERE dead_lettered_at IS NOT NULL;
CREATE INDEX outbox_messages_processed_at_idx ON outbox_messages (processed_at) WHERE processed_at IS NOT NULL;
