import type { ReactNode } from "react";
import type { AppPath } from "@/app/_lib/pages";
import type { Principal } from "@/server/auth/roles";
import { AppHeader } from "./app-header";

type Props = {
  principal: Principal;
  current?: AppPath;
  /** Added to the main element's class, e.g. to let a wide chart use a large screen. */
  className?: string;
  children: ReactNode;
};

/** The frame of every logged-in page: header, then the page's own content. */
export function PageShell({ principal, current, className, children }: Props) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader principal={principal} current={current} />
      <main id="main" className={className ? `page ${className}` : "page"}>
        {children}
      </main>
    </>
  );
}
