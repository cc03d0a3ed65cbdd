import { prisma } from "../db";
import { type ApiTokenView, apiTokenViewInclude, toApiTokenView } from "./api-token-view";

/** Every token, active ones first, newest first; never a secret (none is stored). */
export async function listApiTokens({ limit = 500 }: { limit?: number } = {}): Promise<ApiTokenView[]> {
  const rows = await prisma().apiToken.findMany({
    include: apiTokenViewInclude,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }],
    take: limit,
  });
  return rows.map((row) => toApiTokenView(row));
}
