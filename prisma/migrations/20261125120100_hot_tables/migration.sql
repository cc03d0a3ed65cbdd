-- Storage settings for every table that takes an UPDATE on most business
-- events, so that those updates stay HOT (heap-only tuple: the new row
-- version goes on the same page and no index entry is written) and the dead
-- versions are vacuumed long before the server-wide 5 % scale factor would
-- (deploy/postgresql/conf.d/erp.conf).
--
--   fillfactor = 80      inserts fill a page only to 80 %, leaving room on
--                        each page for the next versions of its rows
--   vacuum/analyze scale per table: a small share of the table changed is
--                        enough to vacuum (and refresh its statistics)
--   cost limit / delay   the seed's 1000 / 10 ms, as for the whole server,
--                        set here too so that a server-wide change cannot
--                        slow the vacuuming of these tables
--
-- inventory_items, machines and outbox_messages had fillfactor 80 from the
-- first migration and purchase_orders from its own; each is given the whole
-- set here, so that one place says what every hot table runs with.
-- work_orders (started, finished, re-planned) joins them. Tables updated
-- rarely (sessions and tokens on logout or revocation, reservations once on
-- release, suppliers on a risk check) keep PostgreSQL's defaults.
--
-- fillfactor applies to pages written from now on: an existing table's full
-- pages keep no room until they are rewritten (VACUUM FULL, or pg_repack
-- without the lock). Setting these parameters takes only a SHARE UPDATE
-- EXCLUSIVE lock: reads and writes go on meanwhile.
--
-- Indexes, table by table: a change to any indexed column (or a column in a
-- partial index's WHERE) makes an update non-HOT, so the columns that change
-- on every update are left unindexed.
--   inventory_items  reservations and receipts change reserved_qty, stock_qty
--                    and updated_at; indexes: id, sku, lower(name). HOT.
--   machines         status changes set status, status_since, updated_at;
--                    indexes: id, code, work_center_id. HOT. (No index on
--                    status: the tablet and planner read machines by work
--                    center, and a factory has hundreds, not millions.)
--   work_orders      start and finish set status, started_at, finished_at,
--                    updated_at: HOT. A re-plan moves an order to another
--                    machine or place in its queue and so changes machine_id
--                    and sequence, which work_orders_machine_id_idx holds:
--                    that update is not HOT, on purpose, because each
--                    machine's queue is read in sequence order through that
--                    index, and re-plans happen on breakdowns, not on every
--                    event.
--   outbox_messages  a claim sets locked_until, locked_by and attempts: HOT.
--                    Two updates per message are not HOT, on purpose: a retry
--                    moves next_attempt_at, the order in which due messages
--                    are found (outbox_messages_pending_idx), and delivery
--                    sets processed_at, which takes the row out of the
--                    partial pending indexes and keeps them tiny.
--   purchase_orders  status, sent_at, acknowledged_at, supplier_reference,
--                    failure_reason and updated_at are unindexed: HOT.
-- deploy/postgresql/hot-tables.int.test.ts checks all of this on the schema
-- the migrations build.

ALTER TABLE inventory_items SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_limit = 1000,
  autovacuum_vacuum_cost_delay = 10
);

-- A few hundred rows updated 1.2 million times a day: the threshold (50 +
-- 5 % of the rows) is reached within seconds, so autovacuum visits it at
-- every naptime, which for a table this small costs next to nothing.
ALTER TABLE machines SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05,
  autovacuum_vacuum_cost_limit = 1000,
  autovacuum_vacuum_cost_delay = 10
);

ALTER TABLE work_orders SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05,
  autovacuum_vacuum_cost_limit = 1000,
  autovacuum_vacuum_cost_delay = 10
);

-- Every row is inserted, updated two or three times within seconds, and
-- deleted after its retention: vacuum after 2 % of it changed.
ALTER TABLE outbox_messages SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_limit = 1000,
  autovacuum_vacuum_cost_delay = 10
);

ALTER TABLE purchase_orders SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05,
  autovacuum_vacuum_cost_limit = 1000,
  autovacuum_vacuum_cost_delay = 10
);
