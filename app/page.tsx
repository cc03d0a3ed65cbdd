import { redirect } from "next/navigation";
import { currentPrincipal } from "./_lib/page-auth";
import { type AppPath, homeFor, mayOpen, pageByPath } from "./_lib/pages";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// The front door: to the login page without a session, otherwise to the page
// the person asked for before logging in (if their role may open it) or to
// their role's home.
export default async function Home({ searchParams }: Props) {
  const principal = await currentPrincipal();
  if (!principal) redirect("/login");
  const { next } = await searchParams;
  const wanted = pageByPath(typeof next === "string" ? next : undefined)?.href;
  const target: AppPath = wanted && mayOpen(principal.role, wanted) ? wanted : homeFor(principal.role);
  redirect(target);
}
