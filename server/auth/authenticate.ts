import { pool } from "../db";
import type { Principal, Role } from "./roles";
import { hashSecretToken } from "./secret-token";
import { sessionSettings } from "./session-settings";

type Row = {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  work_center_id: number | null;
  token_id: number | null;
  read_only: boolean;
};

// One indexed lookup per request, no cache: a logout, a revoked token or a
// deactivated user counts from the very next request. Raw SQL because it runs
// on every call, including the hot reservation path.
//
// The data-modifying CTE records activity in the same round trip, at most
// once a minute per session or token (recordActivity = false: only look, as
// the realtime process does, since it never writes). An UPDATE that touches only
// last_seen_at / last_used_at (in no index) stays a HOT update.
const sessionSql = `
  WITH found AS (
    SELECT s.token_hash, s.last_seen_at, u.id AS user_id, u.username, u.display_name, u.role, u.work_center_id
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
      AND s.last_seen_at > now() - make_interval(secs => $2) AND u.active
  ), touched AS (
    UPDATE sessions s SET last_seen_at = now() FROM found f
    WHERE $4 AND s.token_hash = f.token_hash AND f.last_seen_at < now() - make_interval(secs => $3)
  )
  SELECT user_id, username, display_name, role, work_center_id, NULL::int AS token_id, false AS read_only FROM found`;

// A token acts in its own role and work center when it has them, but only
// within what its user may still do: another role than the user's counts only
// while the user is an admin, so demoting the user narrows the token at once.
const tokenSql = `
  WITH found AS (
    SELECT t.id AS token_id, t.last_used_at, t.read_only, u.id AS user_id, u.username, u.display_name,
           COALESCE(t.role, u.role) AS role,
           CASE WHEN t.role IS NULL THEN u.work_center_id ELSE t.work_center_id END AS work_center_id
    FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active
      AND (t.role IS NULL OR t.role = u.role OR u.role = 'admin')
      AND (t.work_center_id IS NULL OR u.role = 'admin' OR t.work_center_id IS NOT DISTINCT FROM u.work_center_id)
  ), touched AS (
    UPDATE api_tokens t SET last_used_at = now() FROM found f
    WHERE $3 AND t.id = f.token_id AND (f.last_used_at IS NULL OR f.last_used_at < now() - make_interval(secs => $2))
  )
  SELECT user_id, username, display_name, role, work_center_id, token_id, read_only FROM found`;

/**
 * The principal behind a session cookie or a bearer token, or null.
 * `recordActivity` refreshes the session's idle clock (and the token's "last
 * used"); HTTP requests pass true, the realtime process's checks do not, so
 * an open socket alone never keeps an idle session alive.
 */
export async function authenticate({
  sessionToken,
  bearerToken,
  recordActivity = false,
}: {
  sessionToken?: string;
  bearerToken?: string;
  recordActivity?: boolean;
}): Promise<Principal | null> {
  const token = bearerToken || sessionToken;
  if (!token || token.length > 200) return null;
  const via = bearerToken ? "token" : "session";

  const { idleSeconds, touchEverySeconds } = sessionSettings();
  const hash = hashSecretToken(token);
  const { rows } = await pool().query<Row>(
    via === "token"
      ? { name: "auth-token", text: tokenSql, values: [hash, touchEverySeconds, recordActivity] }
      : { name: "auth-session", text: sessionSql, values: [hash, idleSeconds, touchEverySeconds, recordActivity] },
  );
  const row = rows[0];
  if (!row) return null;
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    workCenterId: row.role === "operator" ? row.work_center_id : null,
    via,
    ...(row.token_id === null ? {} : { tokenId: row.token_id, readOnly: row.read_only }),
  };
}
