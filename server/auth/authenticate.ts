import { pool } from "../db";
import type { Principal, Role } from "./roles";
import { hashSecretToken } from "./secret-token";

type Row = {
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  work_center_id: number | null;
};

// One indexed lookup per request; raw SQL because it runs on every call,
// including the hot reservation path.
const sessionSql = `
  SELECT u.id AS user_id, u.username, u.display_name, u.role, u.work_center_id
  FROM sessions s JOIN users u ON u.id = s.user_id
  WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`;

const tokenSql = `
  SELECT u.id AS user_id, u.username, u.display_name, u.role, u.work_center_id
  FROM api_tokens t JOIN users u ON u.id = t.user_id
  WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.active`;

/** The principal behind a session cookie or a bearer token, or null. */
export async function authenticate({
  sessionToken,
  bearerToken,
}: {
  sessionToken?: string;
  bearerToken?: string;
}): Promise<Principal | null> {
  const [token, sql, via] = bearerToken
    ? [bearerToken, tokenSql, "token" as const]
    : sessionToken
      ? [sessionToken, sessionSql, "session" as const]
      : [undefined, "", "session" as const];
  if (!token || token.length > 200) return null;

  const { rows } = await pool().query<Row>({ name: `auth-${via}`, text: sql, values: [hashSecretToken(token)] });
  const row = rows[0];
  if (!row) return null;
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    workCenterId: row.role === "operator" ? row.work_center_id : null,
    via,
  };
}
