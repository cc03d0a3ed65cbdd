-- Each goods receipt booked against a purchase order. Besides the record of
-- who received what and when, its unique idempotency key is the durable
-- backstop behind the Redis keys: a receipt retried after Redis lost its key
-- still cannot book the goods twice.
CREATE TABLE goods_receipts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purchase_order_id uuid NOT NULL REFERENCES purchase_orders (id),
  idempotency_key   uuid UNIQUE,
  request_hash      text,
  received_by       integer NOT NULL REFERENCES users (id),
  lines             jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goods_receipts_purchase_order_id_idx ON goods_receipts (purchase_order_id);
