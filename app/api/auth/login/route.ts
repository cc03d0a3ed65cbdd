import { z } from "zod";
import { login } from "@/server/auth/login";
import { clientIp, sessionCookie } from "../../_lib/request-context";
import { route } from "../../_lib/route";

const body = z.strictObject({
  username: z.string().trim().min(1, "username is required").max(64),
  password: z.string().min(1, "password is required").max(256),
});

export const POST = route({ roles: "public", body, maxBodyBytes: 4096 }, async ({ req, body }) => {
  const { principal, sessionToken, expiresAt } = await login({
    ...body,
    ip: clientIp(req),
    userAgent: req.headers.get("user-agent") ?? undefined,
  });
  return {
    body: {
      user: {
        id: principal.userId,
        username: principal.username,
        displayName: principal.displayName,
        role: principal.role,
        workCenterId: principal.workCenterId,
      },
      expiresAt: expiresAt.toISOString(),
    },
    headers: { "Set-Cookie": sessionCookie(sessionToken, expiresAt) },
  };
});
