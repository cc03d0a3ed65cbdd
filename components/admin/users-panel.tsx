"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { type Role, roles } from "@/server/auth/roles";
import { apiFetch, errorText } from "../api-client";
import { type Column, DataTable } from "../data-table";
import { formatDateTime } from "../quantities";
import { useToast } from "../toast";
import { roleLabels, type UserRow, type UsersAnswer, usersKey } from "./admin-types";

type Draft = { role: Role; workCenterId: string };

/** People, their roles and work-center groups, and their open sessions, which an admin can end. */
export function UsersPanel({ selfId }: { selfId: number }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const users = useQuery({ queryKey: usersKey, queryFn: () => apiFetch<UsersAnswer>("/api/admin/users") });
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey });

  const changeRole = useMutation({
    mutationFn: ({ user, draft }: { user: UserRow; draft: Draft }) =>
      apiFetch(`/api/admin/users/${user.id}/role`, {
        method: "POST",
        json: {
          role: draft.role,
          ...(draft.role === "operator" ? { workCenterId: Number(draft.workCenterId) } : {}),
        },
      }),
    onSuccess: (_, { user, draft }) => {
      setDrafts(({ [user.id]: _done, ...rest }) => rest);
      notify({ tone: "success", title: `${user.username} is now ${roleLabels[draft.role]}` });
    },
    onError: (error, { user }) =>
      notify({ tone: "error", title: `Could not change ${user.username}'s role`, body: errorText(error) }),
    onSettled: refresh,
  });

  const endSessions = useMutation({
    mutationFn: (user: UserRow) =>
      apiFetch<{ ended: number }>(`/api/admin/users/${user.id}/end-sessions`, { method: "POST" }),
    onSuccess: ({ ended }, user) =>
      notify({ tone: "success", title: `${user.username} logged out everywhere`, body: `${ended} session(s) ended.` }),
    onError: (error, user) =>
      notify({ tone: "error", title: `Could not end ${user.username}'s sessions`, body: errorText(error) }),
    onSettled: refresh,
  });

  if (users.isPending) return <p className="loading">Loading people…</p>;
  if (users.isError) return <p className="alert alert-error">Could not load people: {errorText(users.error)}</p>;
  const { workCenters } = users.data;

  const draftOf = (u: UserRow): Draft =>
    drafts[u.id] ?? { role: u.role, workCenterId: u.workCenter ? String(u.workCenter.id) : "" };
  const edit = (u: UserRow, patch: Partial<Draft>) =>
    setDrafts((all) => ({ ...all, [u.id]: { ...draftOf(u), ...patch } }));
  const changed = (u: UserRow) => {
    const d = draftOf(u);
    return d.role !== u.role || (d.role === "operator" && d.workCenterId !== String(u.workCenter?.id ?? ""));
  };

  const columns: Column<UserRow>[] = [
    {
      key: "user",
      header: "Person",
      cell: (u) => (
        <>
          {u.displayName} <span className="muted">({u.username})</span>
          {u.active ? null : <span className="badge badge-quiet">inactive</span>}
        </>
      ),
    },
    {
      key: "role",
      header: "Role and group",
      cell: (u) => {
        const d = draftOf(u);
        return (
          <span className="user-role-cell">
            <select
              aria-label={`Role of ${u.username}`}
              value={d.role}
              onChange={(e) => edit(u, { role: e.target.value as Role })}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
            {d.role === "operator" ? (
              <select
                aria-label={`Work center of ${u.username}`}
                value={d.workCenterId}
                onChange={(e) => edit(u, { workCenterId: e.target.value })}
              >
                <option value="">Work center…</option>
                {workCenters.map((wc) => (
                  <option key={wc.id} value={wc.id}>
                    {wc.code}
                  </option>
                ))}
              </select>
            ) : null}
            {changed(u) ? (
              <button
                type="button"
                className="button button-primary button-small"
                disabled={changeRole.isPending || (d.role === "operator" && !d.workCenterId)}
                onClick={() => changeRole.mutate({ user: u, draft: d })}
              >
                Save
              </button>
            ) : null}
          </span>
        );
      },
    },
    { key: "sessions", header: "Open sessions", numeric: true, cell: (u) => u.openSessions },
    { key: "seen", header: "Last seen", cell: (u) => (u.lastSeenAt ? formatDateTime(u.lastSeenAt) : "—") },
    { key: "tokens", header: "Active tokens", numeric: true, cell: (u) => u.activeTokens },
    {
      key: "action",
      header: <span className="visually-hidden">Action</span>,
      cell: (u) =>
        u.openSessions > 0 ? (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={endSessions.isPending}
            onClick={() => endSessions.mutate(u)}
          >
            {u.id === selfId ? "Log me out everywhere" : "End sessions"}
          </button>
        ) : null,
    },
  ];

  return (
    <section className="card" aria-labelledby="users-title">
      <div className="card-header">
        <h2 id="users-title">People</h2>
        <p className="muted">
          A role change counts from the next request. Ending sessions logs the person out in every browser; their tokens
          are managed on the Tokens page.
        </p>
      </div>
      <DataTable
        caption="Users"
        hideCaption
        columns={columns}
        rows={users.data.users}
        rowKey={(u) => u.id}
        rowLabel={(u) => u.username}
      />
    </section>
  );
}
