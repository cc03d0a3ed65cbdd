import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../auth/create-api-token";
import { login } from "../auth/login";
import { logout } from "../auth/logout";
import { announceRevocation, revocationChannel } from "../auth/revocation";
import { hashSecretToken } from "../auth/secret-token";
import { prisma } from "../db";
import { redis } from "../redis";
import { createUser, createWorkCenter, testPassword } from "../testing/factories";
import { actor } from "../testing/http";
import { stopAllProcesses } from "../testing/processes";
import {
  appendLiveEvent,
  closeLiveClients,
  connectLive,
  type LiveClient,
  machineStatusPayload,
  type RealtimeProcess,
  startRealtime,
} from "../testing/realtime";
import { waitFor } from "../testing/wait-for";

// Issue #6: a revoked token, session or user stops working at once on an
// open socket, not at the next periodic check. The periodic check is turned
// off here, so only the announcement can close the sockets.

let realtime: RealtimeProcess;

beforeAll(async () => {
  realtime = await startRealtime({ env: { REALTIME_REAUTH_MS: "0" } });
});
afterEach(() => closeLiveClients());
afterAll(async () => {
  closeLiveClients();
  await stopAllProcesses();
});

/** The reason the server gives when it closes the socket; rejects if it is still open after 15 s (a loaded machine). */
function disconnection(client: LiveClient): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the socket is still open 15 s after the announcement")), 15_000);
    client.socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Connects the closed socket again, as a client would, and says how the server answered. */
async function reconnect(client: LiveClient): Promise<string> {
  const answer = new Promise<string>((resolve) => {
    client.socket.once("connect", () => resolve(`connected (recovered: ${client.socket.recovered})`));
    client.socket.once("connect_error", (error) => resolve(error.message));
  });
  client.socket.connect();
  return answer;
}

/** The socket is still connected and still gets the events of its rooms. */
async function stillLive(client: LiveClient, workCenterId: number) {
  const id = await appendLiveEvent("machine.status", machineStatusPayload({ machineId: 1, workCenterId }));
  await client.waitForOutboxIds([id]);
  expect(client.socket.connected).toBe(true);
}

async function sessionFor(userId: number, username: string) {
  const { sessionToken } = await login({ username, password: testPassword, ip: "test" });
  return { sessionToken, cookie: `erp_session=${encodeURIComponent(sessionToken)}`, userId };
}

describe("realtime: revocation announced by the web app (#6)", () => {
  it("closes the socket of a revoked token at once; it cannot reconnect; the same user's other token stays", async () => {
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const [revoked] = await prisma().apiToken.findMany({ where: { userId: operator.user.id } });
    const second = await createApiToken({ userId: operator.user.id, name: "second tablet" });
    const tablet = await connectLive(realtime.url, { token: operator.token });
    const otherTablet = await connectLive(realtime.url, { token: second.token });
    const closed = disconnection(tablet);

    await prisma().apiToken.update({ where: { id: revoked?.id }, data: { revokedAt: new Date() } });
    const announcedAt = Date.now();
    await announceRevocation({ kind: "token", tokenId: Number(revoked?.id) });

    // No periodic check runs: only the announcement can have closed it.
    expect(await closed).toBe("io server disconnect");
    const tookMs = Date.now() - announcedAt;
    expect(await reconnect(tablet)).toBe("unauthenticated");
    await expect(connectLive(realtime.url, { token: operator.token })).rejects.toThrow("unauthenticated");
    await stillLive(otherTablet, wc.id);
    console.info(`token revocation closed its socket ${tookMs} ms after the announcement`);
  });

  it("closes the sockets of a logged-out session only, not the user's other session", async () => {
    const planner = await createUser({ role: "planner" });
    const [ended, kept] = [
      await sessionFor(planner.id, planner.username),
      await sessionFor(planner.id, planner.username),
    ];
    const browser = await connectLive(realtime.url, { cookie: ended.cookie });
    const otherBrowser = await connectLive(realtime.url, { cookie: kept.cookie });
    const closed = disconnection(browser);

    await logout({ sessionToken: ended.sessionToken });
    await announceRevocation({ kind: "session", sessionId: hashSecretToken(ended.sessionToken) });

    expect(await closed).toBe("io server disconnect");
    expect(await reconnect(browser)).toBe("unauthenticated");
    await stillLive(otherBrowser, (await createWorkCenter()).id);
  });

  it("closes every socket of a revoked user, token and session alike, and no other user's", async () => {
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const bystander = await actor("operator", wc.id);
    const session = await sessionFor(operator.user.id, operator.user.username);
    const byToken = await connectLive(realtime.url, { token: operator.token });
    const bySession = await connectLive(realtime.url, { cookie: session.cookie });
    const theirs = await connectLive(realtime.url, { token: bystander.token });
    const closed = [disconnection(byToken), disconnection(bySession)];

    await prisma().user.update({ where: { id: operator.user.id }, data: { active: false } });
    await announceRevocation({ kind: "user", userId: operator.user.id });

    expect(await Promise.all(closed)).toEqual(["io server disconnect", "io server disconnect"]);
    expect(await reconnect(byToken)).toBe("unauthenticated");
    expect(await reconnect(bySession)).toBe("unauthenticated");
    await stillLive(theirs, wc.id);
  });

  it("ignores a message on the channel that is not a revocation", async () => {
    const wc = await createWorkCenter();
    const operator = await actor("operator", wc.id);
    const tablet = await connectLive(realtime.url, { token: operator.token });
    for (const message of ["not json", "{}", JSON.stringify({ kind: "user", userId: String(operator.user.id) })]) {
      await redis().publish(revocationChannel(), message);
    }
    await stillLive(tablet, wc.id);
    await waitFor("the realtime process to log the messages it ignored", () =>
      realtime.output(50).includes("revocation message not understood"),
    );
  });
});
