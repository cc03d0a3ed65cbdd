"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "./api-client";

export function LogoutButton() {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);

  async function logout() {
    setPending(true);
    try {
      await apiFetch("/api/auth/logout", { method: "POST" });
    } catch {
      // Even if the server could not be told, this browser forgets everything
      // it showed; the session cookie is HttpOnly and ends at its expiry.
    }
    queryClient.clear();
    // A full load, so no page state of the previous user survives.
    window.location.assign("/login");
  }

  return (
    <button type="button" className="button button-quiet" onClick={logout} disabled={pending}>
      {pending ? "Logging out…" : "Log out"}
    </button>
  );
}
