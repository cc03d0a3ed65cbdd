import type { Db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { Role } from "./roles";

/** A token as the admin sees it: everything but the secret, which is never stored. */
export type ApiTokenView = {
  id: number;
  name: string;
  user: { id: number; username: string; role: Role };
  /** The role it acts in: its own, or its user's. */
  role: Role;
  /** An operator token's work-center group, whether its own or its user's. */
  workCenter: { id: number; code: string; name: string } | null;
  readOnly: boolean;
  createdAt: string;
  createdBy: { id: number; username: string } | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  status: "active" | "expired" | "revoked";
};

export const apiTokenViewInclude = {
  user: {
    select: { id: true, username: true, role: true, workCenter: { select: { id: true, code: true, name: true } } },
  },
  creator: { select: { id: true, username: true } },
  workCenter: { select: { id: true, code: true, name: true } },
} as const satisfies Prisma.ApiTokenInclude;

type Row = Prisma.ApiTokenGetPayload<{ include: typeof apiTokenViewInclude }>;

export function toApiTokenView(row: Row, now = new Date()): ApiTokenView {
  const role = (row.role ?? row.user.role) as Role;
  const workCenter = role !== "operator" ? null : row.role ? row.workCenter : row.user.workCenter;
  return {
    id: row.id,
    name: row.name,
    user: { id: row.user.id, username: row.user.username, role: row.user.role as Role },
    role,
    workCenter: workCenter ?? null,
    readOnly: row.readOnly,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.creator,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  };
}

export async function getApiTokenView({ db, id }: { db: Db | Prisma.TransactionClient; id: number }) {
  const row = await db.apiToken.findUnique({ where: { id }, include: apiTokenViewInclude });
  return row ? toApiTokenView(row) : null;
}
