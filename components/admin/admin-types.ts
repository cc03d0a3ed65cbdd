// What the admin API answers (app/api/admin/*): the server's own types, imported as
// types only, so no server code reaches the browser.
import type { ApiTokenView } from "@/server/auth/api-token-view";
import type { IssuedApiToken } from "@/server/auth/issue-api-token";
import type { UserView, WorkCenterOption } from "@/server/auth/list-users";
import type { Role } from "@/server/auth/roles";

export type { WorkCenterOption } from "@/server/auth/list-users";
export type UserRow = UserView;
export type UsersAnswer = { users: UserView[]; workCenters: WorkCenterOption[] };
export type TokenRow = ApiTokenView;
export type IssuedToken = IssuedApiToken & { message?: string };

export const roleLabels: Record<Role, string> = {
  purchasing: "Purchasing",
  planner: "Planner",
  operator: "Operator",
  manager: "Manager",
  admin: "Admin",
};

export const usersKey = ["admin", "users"] as const;
export const tokensKey = ["admin", "tokens"] as const;
