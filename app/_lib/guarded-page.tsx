import type { ReactNode } from "react";
import "@/components/admin/admin.css";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import type { Principal } from "@/server/auth/roles";
import { requirePage } from "./page-auth";
import { type AppPath, pageByPath } from "./pages";

type Props = {
  path: AppPath;
  title: string;
  intro: ReactNode;
  children: (principal: Principal) => ReactNode;
};

/**
 * A logged-in page: to the login page without a session, "Not allowed" for a
 * role that may not open it, otherwise the frame, the title and the content.
 */
export async function GuardedPage({ path, title, intro, children }: Props) {
  const { principal, allowed } = await requirePage(path);
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel={pageByPath(path)?.label ?? title} />
      </PageShell>
    );
  }
  return (
    <PageShell principal={principal} current={path}>
      <div className="page-title">
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      {children(principal)}
    </PageShell>
  );
}
