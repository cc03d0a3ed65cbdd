import { pool } from "../db";
import type { Role } from "./roles";
import { sessionSettings } from "./session-settings";

export type UserView = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  workCenter: { id: number; code: string; name: string } | null;
  active: boolean;
  /** Sessions still open (not ended, not expired, not idle past the timeout). */
  openSessions: number;
  lastSeenAt: string | null;
  activeTokens: number;
};

export type WorkCenterOption = { id: number; code: string; name: string };

/** The admin's list of people and the work-center groups an operator can belong to. */
export async function listUsers(): Promise<{ users: UserView[]; workCenters: WorkCenterOption[] }> {
  const { idleSeconds } = sessionSettings();
  const [users, workCenters] = await Promise.all([
    pool().query<{
      id: number;
      username: string;
      display_name: string;
      role: Role;
      active: boolean;
      wc_id: number | null;
      wc_code: string | null;
      wc_name: string | null;
      open_sessions: number;
      last_seen_at: Date | null;
      active_tokens: number;
    }>(
      `SELECT u.id, u.username, u.display_name, u.role, u.active,
              wc.id AS wc_id, wc.code AS wc_code, wc.name AS wc_name,
              s.open_sessions, s.last_seen_at, t.active_tokens
       FROM users u
       LEFT JOIN work_centers wc ON wc.id = u.work_center_id
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS open_sessions, max(last_seen_at) AS last_seen_at FROM sessions
         WHERE user_id = u.id AND revoked_at IS NULL AND expires_at > now()
           AND last_seen_at > now() - make_interval(secs => $1)
       ) s ON true
       LEFT JOIN LATERAL (
         SELECT count(*)::int AS active_tokens FROM api_tokens
         WHERE user_id = u.id AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
       ) t ON true
       ORDER BY u.username
       LIMIT 1000`,
      [idleSeconds],
    ),
    pool().query<WorkCenterOption>("SELECT id, code, name FROM work_centers ORDER BY code"),
  ]);
  return {
    users: users.rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      workCenter: r.wc_id === null ? null : { id: r.wc_id, code: r.wc_code ?? "", name: r.wc_name ?? "" },
      active: r.active,
      openSessions: r.open_sessions,
      lastSeenAt: r.last_seen_at?.toISOString() ?? null,
      activeTokens: r.active_tokens,
    })),
    workCenters: workCenters.rows,
  };
}
