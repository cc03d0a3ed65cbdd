import Link from "next/link";
import { type AppPath, pagesFor } from "@/app/_lib/pages";
import type { Principal } from "@/server/auth/roles";
import { LogoutButton } from "./logout-button";

const roleNames: Record<Principal["role"], string> = {
  purchasing: "Purchasing",
  planner: "Planner",
  operator: "Operator",
  manager: "Manager",
  admin: "Admin",
};

type Props = { principal: Principal; current?: AppPath };

/** Product name, the pages this role may open, who is logged in, and logout. */
export function AppHeader({ principal, current }: Props) {
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          Factory ERP
        </Link>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {pagesFor(principal.role).map((page) => (
              <li key={page.href}>
                <Link href={page.href} className="nav-link" aria-current={page.href === current ? "page" : undefined}>
                  {page.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user-box">
          <Link href="/account" className="user-name" title="Your account and sessions">
            {principal.displayName}
          </Link>
          <span className="role-badge" data-role={principal.role}>
            {roleNames[principal.role]}
          </span>
          <LogoutButton />
        </div>
      </div>
    </header>
  );
}
