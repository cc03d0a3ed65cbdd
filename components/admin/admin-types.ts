// What the admin API answers (app/api/admin/*), as the pages read it.
import type { Role } from "@/server/auth/roles";

export type WorkCenterOption = { id: number; code: string; name: string };

export type UserRow = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  workCenter: WorkCenterOption | null;
  active: boolean;
  openSessions: number;
  lastSeenAt: string | null;
  activeTokens: number;
};

export type UsersAnswer = { users: UserRow[]; workCenters: WorkCenterOption[] };

export type TokenRow = {
  id: number;
  name: string;
  user: { id: number; username: string; role: Role };
  role: Role;
  workCenter: WorkCenterOption | null;
  readOnly: boolean;
  createdAt: string;
  createdBy: { id: number; username: string } | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
};

export type IssuedToken = { token: TokenRow; secret: string | null; replayed: boolean; message?: string };

export const roleLabels: Record<Role, string> = {
  purchasing: "Purchasing",
  planner: "Planner",
  operator: "Operator",
  manager: "Manager",
  admin: "Admin",
};

export const usersKey = ["admin", "users"] as const;
export const tokensKey = ["admin", "tokens"] as const;
