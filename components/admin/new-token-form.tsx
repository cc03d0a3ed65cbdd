"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { type Role, roles } from "@/server/auth/roles";
import { ApiError, apiFetch, errorText, newIdempotencyKey } from "../api-client";
import { type IssuedToken, roleLabels, tokensKey, type UsersAnswer, usersKey } from "./admin-types";

type Props = { selfId: number; onIssued: (issued: IssuedToken) => void };

/**
 * Issues a token for a tablet or an integration. The token acts for a user
 * (the actor in the audit log); an admin user's token may act in a narrower
 * role, e.g. "operator of work center 3" for that hall's tablet.
 */
export function NewTokenForm({ selfId, onIssued }: Props) {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: () => apiFetch<UsersAnswer>("/api/admin/users") });
  const [name, setName] = useState("");
  const [userId, setUserId] = useState(String(selfId));
  const [role, setRole] = useState<Role | "">("");
  const [workCenterId, setWorkCenterId] = useState("");
  const [readOnly, setReadOnly] = useState(false);
  const [expiresOn, setExpiresOn] = useState("");
  const [error, setError] = useState<string | null>(null);
  // One key per attempt: a retry after a lost answer finds the token made the first time.
  const attemptKey = useRef<string | null>(null);

  const issue = useMutation({
    mutationFn: (payload: Record<string, unknown>) => {
      attemptKey.current ??= newIdempotencyKey();
      return apiFetch<IssuedToken>("/api/admin/tokens", {
        method: "POST",
        json: payload,
        headers: { "Idempotency-Key": attemptKey.current },
      });
    },
    onSuccess: (issued) => {
      attemptKey.current = null;
      setName("");
      setError(null);
      onIssued(issued);
    },
    onError: (caught) => {
      // A definite refusal: the next try is a new request. Unknown outcomes keep the key.
      if (caught instanceof ApiError) attemptKey.current = null;
      setError(errorText(caught));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });

  const owner = users.data?.users.find((u) => String(u.id) === userId);
  const ownerIsAdmin = owner?.role === "admin";
  const effectiveRole: Role | undefined = (role || owner?.role) as Role | undefined;
  const needsWorkCenter = ownerIsAdmin && effectiveRole === "operator";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!owner) return setError("Choose the user the token acts for.");
    if (needsWorkCenter && !workCenterId) return setError("An operator token needs a work center.");
    const payload: Record<string, unknown> = { name: name.trim(), userId: owner.id, readOnly };
    if (ownerIsAdmin && role && role !== owner.role) payload.role = role;
    if (needsWorkCenter) payload.workCenterId = Number(workCenterId);
    // The end of the chosen day, in the browser's time zone.
    if (expiresOn) payload.expiresAt = new Date(`${expiresOn}T23:59:59`).toISOString();
    issue.mutate(payload);
  }

  return (
    <form className="token-form" aria-label="New token" onSubmit={onSubmit}>
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      <label className="field">
        <span className="field-label">Name</span>
        <input
          name="name"
          required
          maxLength={100}
          placeholder="Tablet, press line 2"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        <span className="field-label">Acts for</span>
        <select
          name="userId"
          value={userId}
          onChange={(e) => {
            setUserId(e.target.value);
            setRole("");
            setWorkCenterId("");
          }}
        >
          {(users.data?.users ?? [])
            .filter((u) => u.active)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username}, {roleLabels[u.role]})
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Role</span>
        <select
          name="role"
          value={role}
          disabled={!ownerIsAdmin}
          onChange={(e) => setRole(e.target.value as Role | "")}
          aria-describedby="token-role-hint"
        >
          <option value="">The user's own ({owner ? roleLabels[owner.role] : "…"})</option>
          {ownerIsAdmin
            ? roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))
            : null}
        </select>
        <span id="token-role-hint" className="muted field-hint">
          Only a token acting for an admin can take a narrower role.
        </span>
      </label>
      {needsWorkCenter ? (
        <label className="field">
          <span className="field-label">Work center</span>
          <select name="workCenterId" required value={workCenterId} onChange={(e) => setWorkCenterId(e.target.value)}>
            <option value="">Choose…</option>
            {(users.data?.workCenters ?? []).map((wc) => (
              <option key={wc.id} value={wc.id}>
                {wc.code} · {wc.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field">
        <span className="field-label">Expires (optional)</span>
        <input name="expiresOn" type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />
      </label>
      <label className="checkbox-field">
        <input type="checkbox" name="readOnly" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
        Read only (an integration that only reads)
      </label>
      <button type="submit" className="button button-primary" disabled={issue.isPending || users.isPending}>
        {issue.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
