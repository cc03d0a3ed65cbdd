import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";

export const metadata: Metadata = { title: "Not found · Factory ERP" };

// Rendered per request like every other page, so that its scripts carry the
// nonce of the Content-Security-Policy (proxy.ts); a prerendered 404 could not.
export default async function NotFound() {
  await connection();
  return (
    <main className="login-page">
      <section className="login-card" aria-labelledby="not-found-title">
        <h1 id="not-found-title">Page not found</h1>
        <p className="muted">There is no page at this address.</p>
        <p>
          <Link className="button button-primary" href="/">
            Go to the start page
          </Link>
        </p>
      </section>
    </main>
  );
}
