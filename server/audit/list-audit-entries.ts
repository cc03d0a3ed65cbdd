import { prisma } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { auditActions } from "./audit-actions";

export type AuditEntryView = {
  id: string;
  at: string;
  /** Who did it; null for the system (the worker) or an unknown username at a failed login. */
  actor: { id: number; username: string } | null;
  action: string;
  /** The action in words, when it is a known one. */
  label: string | null;
  targetType: string | null;
  targetId: string | null;
  detail: unknown;
};

export type AuditFilter = {
  /** A username, or "system" for entries without an actor. */
  actor?: string;
  /** An action name, or a prefix ending in ".*" ("auth.*"). */
  action?: string;
  from?: Date;
  to?: Date;
  /** Paging: entries older than this id (the previous page's `nextBefore`). */
  before?: bigint;
  limit: number;
};

/** The audit log newest first, filtered, one page at a time (keyset paging on id). */
export async function listAuditEntries(filter: AuditFilter): Promise<{
  entries: AuditEntryView[];
  nextBefore: string | null;
}> {
  const where: Prisma.AuditLogWhereInput = {};
  if (filter.actor === "system") where.actorId = null;
  else if (filter.actor) where.actor = { username: filter.actor.trim().toLowerCase() };
  if (filter.action?.endsWith(".*")) where.action = { startsWith: filter.action.slice(0, -1) };
  else if (filter.action) where.action = filter.action;
  if (filter.from || filter.to) where.createdAt = { gte: filter.from, lt: filter.to };
  if (filter.before !== undefined) where.id = { lt: filter.before };

  const rows = await prisma().auditLog.findMany({
    where,
    include: { actor: { select: { id: true, username: true } } },
    orderBy: { id: "desc" },
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((row) => ({
      id: row.id.toString(),
      at: row.createdAt.toISOString(),
      actor: row.actor,
      action: row.action,
      label: (auditActions as Record<string, string>)[row.action] ?? null,
      targetType: row.targetType,
      targetId: row.targetId,
      detail: row.detail,
    })),
    nextBefore: rows.length > filter.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
