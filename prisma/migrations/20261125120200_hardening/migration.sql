-- Application hardening: sessions that also end when idle, scoped bearer
-- tokens for tablets and integrations, and indexes for the admin's audit view.

-- ---------------------------------------------------------------- sessions

-- When the session was last used. A session ends SESSION_IDLE_MINUTES after
-- this, or at expires_at (absolute, SESSION_TTL_HOURS after login), whichever
-- comes first. Requests refresh it at most once a minute
-- (server/auth/authenticate.ts), so this is the one column that changes.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
-- Who or what ended the session: 'logout', 'logout_everywhere', 'admin'.
ALTER TABLE sessions ADD COLUMN ended_reason text;

-- last_seen_at is updated on a live session about once a minute: room on the
-- page for the new row version keeps those updates HOT (last_seen_at is in no
-- index), and vacuum comes early for a table whose rows are all short-lived.
ALTER TABLE sessions SET (
  fillfactor = 80,
  autovacuum_vacuum_scale_factor = 0.05,
  autovacuum_analyze_scale_factor = 0.05
);

-- ---------------------------------------------------------------- api tokens

-- A token acts for its user (user_id, the actor in the audit log) and may be
-- narrower than that user:
--   role            the role it acts in; NULL: the user's own role. Another
--                   role than the user's only counts while the user is an
--                   admin (an admin issues a tablet token "operator of
--                   work center 3" in their own name); authenticate() checks
--                   it on every request, so demoting the user narrows the
--                   token at once.
--   work_center_id  the work-center group an operator token is bound to;
--                   NULL: the user's own.
--   read_only       GET and HEAD only, for integrations that read.
ALTER TABLE api_tokens
  ADD COLUMN role           text CHECK (role IN ('purchasing', 'planner', 'operator', 'manager', 'admin')),
  ADD COLUMN work_center_id integer REFERENCES work_centers (id),
  ADD COLUMN read_only      boolean NOT NULL DEFAULT false,
  ADD COLUMN last_used_at   timestamptz,
  -- The durable backstop of POST /api/admin/tokens' Idempotency-Key: the
  -- answer holds the secret, so it is never kept in Redis for a replay.
  ADD COLUMN idempotency_key uuid UNIQUE,
  ADD CONSTRAINT api_tokens_operator_has_work_center
    CHECK (role IS DISTINCT FROM 'operator' OR work_center_id IS NOT NULL),
  ADD CONSTRAINT api_tokens_work_center_only_for_operators
    CHECK (work_center_id IS NULL OR role = 'operator');
CREATE INDEX api_tokens_work_center_id_idx ON api_tokens (work_center_id);

-- last_used_at is refreshed at most once a minute per token.
ALTER TABLE api_tokens SET (fillfactor = 80);

-- ---------------------------------------------------------------- audit log

-- The admin's audit view pages newest first (by id) and filters by actor or
-- action; the time range rides on created_at, which the init migration indexes.
CREATE INDEX audit_log_actor_id_idx ON audit_log (actor_id, id);
CREATE INDEX audit_log_action_idx ON audit_log (action, id);
