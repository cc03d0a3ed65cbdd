import { access, type Role } from "@/server/auth/roles";

// The pages people navigate between, and who may open each. The API checks
// roles again on every call: this table only decides what a page shows.
export type AppPage = {
  href: "/purchasing" | "/purchasing/orders" | "/planning" | "/floor" | "/risk" | "/admin/outbox";
  label: string;
  roles: readonly Role[];
};

export const appPages: readonly AppPage[] = [
  { href: "/purchasing", label: "Purchasing", roles: access.purchasing },
  { href: "/purchasing/orders", label: "Purchase orders", roles: access.purchasing },
  { href: "/planning", label: "Planning", roles: ["planner", "manager", "admin"] },
  { href: "/floor", label: "Shop floor", roles: ["operator", "planner", "manager", "admin"] },
  // Buyers choose suppliers by it, so they may open it too, and see the levels only.
  { href: "/risk", label: "Supplier risk", roles: access.purchasing },
  { href: "/admin/outbox", label: "Outbox", roles: ["admin"] },
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

export function pagesFor(role: Role): AppPage[] {
  return appPages.filter((page) => page.roles.includes(role));
}

export function pageByPath(path: string | undefined): AppPage | undefined {
  return appPages.find((page) => page.href === path);
}

export function mayOpen(role: Role, path: AppPath): boolean {
  return pageByPath(path)?.roles.includes(role) ?? false;
}
