import { issueApiToken } from "@/server/auth/issue-api-token";
import { listApiTokens } from "@/server/auth/list-api-tokens";
import { route } from "../../_lib/route";
import { createTokenBody } from "../schemas";

export const GET = route({ roles: ["admin"] }, async () => ({ body: { tokens: await listApiTokens() } }));

// The secret is in this answer only. The Idempotency-Key is kept with the
// token in PostgreSQL rather than with a stored answer in Redis, so a repeat
// finds the token without its secret (see issueApiToken).
export const POST = route(
  { roles: ["admin"], body: createTokenBody, idempotent: "key-only", maxBodyBytes: 4096 },
  async ({ principal, body, idempotencyKey }) => {
    if (!idempotencyKey) throw new Error("key-only route called without an Idempotency-Key");
    const issued = await issueApiToken({
      ...body,
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined,
      actorId: principal.userId,
      idempotencyKey,
    });
    return {
      status: issued.replayed ? 200 : 201,
      body: issued.replayed
        ? {
            ...issued,
            message: "This token was created by an earlier request with the same key; its secret was shown then only.",
          }
        : issued,
      headers: issued.replayed ? { "Idempotent-Replayed": "true" } : undefined,
    };
  },
);
