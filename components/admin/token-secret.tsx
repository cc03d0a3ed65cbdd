"use client";

import { useState } from "react";
import type { IssuedToken } from "./admin-types";

/** The new token's secret, shown once: it exists nowhere else (only its hash is stored). */
export function TokenSecret({ issued, onDone }: { issued: IssuedToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  if (!issued.secret) {
    return (
      <div className="alert alert-warning" role="alert">
        <p className="alert-title">Token “{issued.token.name}” already existed</p>
        <p>{issued.message} Revoke it and create a new one if the secret was not stored.</p>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Close
        </button>
      </div>
    );
  }
  const secret = issued.secret;
  async function copy() {
    try {
      // Only in a secure context (HTTPS or localhost); otherwise the text is there to select.
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <section className="alert alert-success token-secret" role="status" aria-labelledby="token-secret-title">
      <p className="alert-title" id="token-secret-title">
        Token “{issued.token.name}” created. Copy it now: it will not be shown again.
      </p>
      <code className="secret" data-testid="token-secret">
        {secret}
      </code>
      <div className="toolbar">
        <button type="button" className="button button-secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
