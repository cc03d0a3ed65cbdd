import { z } from "zod";

export const roles = ["purchasing", "planner", "operator", "manager", "admin"] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** Who is calling, as every route and socket sees it after authentication. */
export type Principal = {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  /** The operator's work-center group; null for every other role. */
  workCenterId: number | null;
  /** "session" for the browser cookie, "token" for a bearer token. */
  via: "session" | "token";
  /** The api_tokens row behind a bearer token. */
  tokenId?: number;
  /** A token that may only read (GET and HEAD); the route wrapper refuses its writes. */
  readOnly?: boolean;
};

/** Who may do what, named by what they do rather than by role lists at each call site. */
export const access = {
  purchasing: ["purchasing", "manager", "admin"],
  /** Raising purchase orders and receiving goods against them: managers only look. */
  placePurchaseOrders: ["purchasing", "admin"],
  inventoryRead: ["purchasing", "planner", "manager", "admin"],
  /** Reporting machine events and starting or finishing work; operators only in their own work center. */
  shopFloor: ["operator", "planner", "admin"],
  /** Reading work orders and the plan; operators see their own work center only. */
  planRead: ["operator", "planner", "manager", "admin"],
  anyone: roles,
} as const satisfies Record<string, readonly Role[]>;
