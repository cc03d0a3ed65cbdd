import { access, type Role } from "@/server/auth/roles";

// The pages people navigate between, and who may open each. The API checks
// roles again on every call: this table only decides what a page shows.
export type AppPage = {
  href:
    | "/purchasing"
    | "/purchasing/orders"
    | "/planning"
    | "/floor"
    | "/risk"
    | "/admin/outbox"
    | "/admin/users"
    | "/admin/tokens"
    | "/admin/audit"
    | "/admin/database"
    | "/account";
  label: string;
  roles: readonly Role[];
  /** false: reachable (from the header's name link), but not listed in the main navigation. */
  nav?: false;
};

const admins = ["admin"] as const;

export const appPages: readonly AppPage[] = [
  { href: "/purchasing", label: "Purchasing", roles: access.purchasing },
  { href: "/purchasing/orders", label: "Purchase orders", roles: access.purchasing },
  { href: "/planning", label: "Planning", roles: ["planner", "manager", "admin"] },
  { href: "/floor", label: "Shop floor", roles: ["operator", "planner", "manager", "admin"] },
  // Buyers choose suppliers by it, so they may open it too, and see the levels only.
  { href: "/risk", label: "Supplier risk", roles: access.purchasing },
  { href: "/admin/outbox", label: "Outbox", roles: admins },
  { href: "/admin/users", label: "Users", roles: admins },
  { href: "/admin/tokens", label: "Tokens", roles: admins },
  { href: "/admin/audit", label: "Audit log", roles: admins },
  { href: "/admin/database", label: "Database", roles: admins },
  { href: "/account", label: "Your account", roles: access.anyone, nav: false },
];

export type AppPath = AppPage["href"];

/** Where each role starts after logging in. */
const homes: Record<Role, AppPath> = {
  purchasing: "/purchasing",
  manager: "/risk",
  admin: "/purchasing",
  planner: "/planning",
  operator: "/floor",
};

export function homeFor(role: Role): AppPath {
  return homes[role];
}

/** The pages in this role's main navigation. */
export function pagesFor(role: Role): AppPage[] {
  return appPages.filter((page) => page.nav !== false && page.roles.includes(role));
}

export function pageByPath(path: string | undefined): AppPage | undefined {
  return appPages.find((page) => page.href === path);
}

export function mayOpen(role: Role, path: AppPath): boolean {
  return pageByPath(path)?.roles.includes(role) ?? false;
}
