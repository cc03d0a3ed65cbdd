import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createUser, createWorkCenter, testPassword } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { stopAllProcesses } from "@/server/testing/processes";
import {
  closeLiveClients,
  connectLive,
  type LiveClient,
  type RealtimeProcess,
  startRealtime,
} from "@/server/testing/realtime";
import { POST as login } from "../../auth/login/route";
import { GET as me } from "../../auth/me/route";
import { POST as endSessions } from "../users/[id]/end-sessions/route";
import { POST as revoke } from "./[id]/revoke/route";
import { POST as create } from "./route";

// The whole path an admin takes, against a real realtime process whose
// periodic re-check is off: revoking a token on the tokens page, or ending a
// person's sessions on the users page, closes their open sockets at once and
// refuses them on HTTP at once.

let realtime: RealtimeProcess;
let admin: Awaited<ReturnType<typeof actor>>;

beforeAll(async () => {
  realtime = await startRealtime({ env: { REALTIME_REAUTH_MS: "0" } });
  admin = await actor("admin");
});
afterEach(() => closeLiveClients());
afterAll(async () => {
  closeLiveClients();
  await stopAllProcesses();
});

function closedByServer(client: LiveClient): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("still open 15 s after the revocation")), 15_000);
    client.socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

it("a tablet token revoked on the tokens page loses its socket and its HTTP access at once", async () => {
  const hall = await createWorkCenter();
  const issued = await call(create, {
    token: admin.token,
    body: { name: "Hall tablet", userId: admin.user.id, role: "operator", workCenterId: hall.id },
  });
  expect(issued.status).toBe(201);
  const tablet = await connectLive(realtime.url, { token: issued.body.secret });
  const closed = closedByServer(tablet);

  const res = await call(revoke, { token: admin.token, method: "POST", params: { id: String(issued.body.token.id) } });
  expect(res.status).toBe(200);
  expect((await call(me, { token: issued.body.secret })).status).toBe(401);
  expect(await closed).toBe("io server disconnect");
  await expect(connectLive(realtime.url, { token: issued.body.secret })).rejects.toThrow("unauthenticated");
});

it("sessions ended by an admin lose their sockets at once", async () => {
  const planner = await createUser({ role: "planner" });
  const loggedIn = await call(login, { body: { username: planner.username, password: testPassword } });
  const cookie = (loggedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const browser = await connectLive(realtime.url, { cookie });
  const closed = closedByServer(browser);

  const res = await call(endSessions, { token: admin.token, method: "POST", params: { id: String(planner.id) } });
  expect(res.body).toMatchObject({ ended: 1 });
  expect(await closed).toBe("io server disconnect");
  expect((await call(me, { cookie })).status).toBe(401);
});
