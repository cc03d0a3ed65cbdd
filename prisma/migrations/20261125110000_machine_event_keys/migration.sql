-- Machine events as the shop floor reports them: what the status was and
-- became (so that the log explains every status on its own), and the
-- tablet's Idempotency-Key. A tablet queues a report while offline and
-- sends it again when it reconnects; Redis answers those repeats for 24 h,
-- and this unique key is the durable backstop when Redis has forgotten.
ALTER TABLE machine_events
  ADD COLUMN previous_status text,
  ADD COLUMN status          text,
  ADD COLUMN idempotency_key uuid UNIQUE,
  ADD COLUMN request_hash    text;
