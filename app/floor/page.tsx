import type { Metadata } from "next";
import { FloorView } from "@/components/floor/floor-view";
import type { GroupChoice } from "@/components/floor/group-picker";
import { NotAllowed } from "@/components/not-allowed";
import { PageShell } from "@/components/page-shell";
import { listWorkCenters } from "@/server/machines/list-work-centers";
import { requirePage } from "../_lib/page-auth";

export const metadata: Metadata = { title: "Shop floor · Factory ERP" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function FloorPage({ searchParams }: Props) {
  const { principal, allowed } = await requirePage("/floor");
  if (!allowed) {
    return (
      <PageShell principal={principal}>
        <NotAllowed principal={principal} pageLabel="the shop floor" />
      </PageShell>
    );
  }
  const workCenters = await listWorkCenters();
  // Planners, managers and admins may open the page on one group (?group=<id>); operators see their own.
  const { group } = await searchParams;
  const chosen = Number(group);
  const initialGroup: GroupChoice = workCenters.some((wc) => wc.id === chosen) ? chosen : "all";
  return (
    <PageShell principal={principal} current="/floor">
      <FloorView
        me={{ userId: principal.userId, role: principal.role, workCenterId: principal.workCenterId }}
        workCenters={workCenters}
        initialGroup={initialGroup}
      />
    </PageShell>
  );
}
