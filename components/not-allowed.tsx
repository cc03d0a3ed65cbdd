import Link from "next/link";
import { homeFor, pageByPath } from "@/app/_lib/pages";
import type { Principal } from "@/server/auth/roles";

type Props = { principal: Principal; pageLabel: string };

/** Shown instead of a page's content when the role may not see it. */
export function NotAllowed({ principal, pageLabel }: Props) {
  const home = pageByPath(homeFor(principal.role));
  return (
    <section className="card not-allowed" aria-labelledby="not-allowed-title">
      <h1 id="not-allowed-title">Not allowed</h1>
      <p>
        Your role ({principal.role}) may not open {pageLabel}. If you need it for your work, ask an administrator to
        change your role.
      </p>
      {home ? (
        <p>
          <Link className="button button-primary" href={home.href}>
            Go to {home.label}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
