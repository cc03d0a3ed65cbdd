import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { currentPrincipal } from "../_lib/page-auth";
import { homeFor, pageByPath } from "../_lib/pages";

export const metadata: Metadata = { title: "Log in · Factory ERP" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const principal = await currentPrincipal();
  if (principal) redirect(homeFor(principal.role));
  const { next } = await searchParams;
  // Only our own pages are accepted as a destination: never an open redirect.
  const nextPath = pageByPath(typeof next === "string" ? next : undefined)?.href;

  return (
    <main className="login-page">
      <section className="login-card" aria-labelledby="login-title">
        <p className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{" "}
          Factory ERP
        </p>
        <h1 id="login-title">Log in</h1>
        <p className="muted">Stock, purchasing and the shop floor in one place.</p>
        <LoginForm nextPath={nextPath} />
      </section>
    </main>
  );
}
