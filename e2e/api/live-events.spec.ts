import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import { expect, test } from "./fixtures";

// The live channel as a tablet meets it: Socket.IO on /ws/socket.io through
// nginx (the same origin as the pages), authenticated by the session cookie
// that login set, over WebSocket or long-polling (sticky across the realtime
// instances behind nginx).

type LiveMessage = { seq: string; type: string; payload: Record<string, unknown>; at: string };

async function sessionCookie(api: APIRequestContext): Promise<{ header: string; secure: boolean }> {
  const { cookies } = await api.storageState();
  const session = cookies.find((c) => c.name === "erp_session");
  expect(session, "the session cookie set by login").toBeDefined();
  return { header: `erp_session=${session?.value}`, secure: Boolean(session?.secure) };
}

function connect(baseURL: string, transport: "websocket" | "polling", cookie?: string): Socket {
  return io(baseURL, {
    path: "/ws/socket.io",
    transports: [transport],
    upgrade: false,
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
    // The e2e stack's trial certificate.
    rejectUnauthorized: false,
  });
}

/** Resolves once the server has put the socket in its rooms; rejects on refusal. */
function ready(socket: Socket): Promise<{ rooms: string[] }> {
  return new Promise((resolve, reject) => {
    socket.once("ready", resolve);
    socket.once("connect_error", reject);
  });
}

function nextEvent(socket: Socket, matches: (m: LiveMessage) => boolean): Promise<LiveMessage> {
  return new Promise((resolve) => {
    const listener = (message: LiveMessage) => {
      if (!matches(message)) return;
      socket.off("event", listener);
      resolve(message);
    };
    socket.on("event", listener);
  });
}

for (const transport of ["websocket", "polling"] as const) {
  test(`an operator's socket (${transport}) through nginx hears the machine status reported for their group`, async ({
    as,
    baseURL,
  }) => {
    const operator = await as("operator");
    const cookie = await sessionCookie(operator);
    // Over HTTPS the app marks the cookie Secure, and it still authenticates the socket.
    expect(cookie.secure).toBe(String(baseURL).startsWith("https:"));
    const me = (await (await operator.get("/api/auth/me")).json()).user as { workCenterId: number };
    const { machines } = (await (await operator.get("/api/machines")).json()) as {
      machines: { id: number; workCenterId: number }[];
    };
    // The group's last machine: the floor and planning specs use the first ones.
    const machine = machines.filter((m) => m.workCenterId === me.workCenterId).at(-1);
    expect(machine, "a machine in the operator's group").toBeDefined();
    const machineId = machine?.id as number;

    const socket = connect(String(baseURL), transport, cookie.header);
    try {
      const { rooms } = await ready(socket);
      expect(rooms).toContain(`wc:${me.workCenterId}`);
      expect(socket.io.engine.transport.name).toBe(transport);

      for (const type of ["material_shortage", "resume"] as const) {
        const heard = nextEvent(socket, (m) => m.type === "machine.status" && m.payload.type === type);
        const response = await operator.post(`/api/machines/${machineId}/events`, {
          data: { type, note: `e2e ${transport} through nginx` },
          headers: { "Idempotency-Key": randomUUID() },
        });
        expect(response.status()).toBe(202);
        const message = await heard;
        expect(message.payload).toMatchObject({
          machineId,
          workCenterId: me.workCenterId,
          type,
          note: `e2e ${transport} through nginx`,
        });
        expect(message.seq).toMatch(/^\d+-\d+$/);
      }
      expect(socket.connected).toBe(true);
    } finally {
      socket.disconnect();
    }
  });
}

test("a socket without a session is refused at the handshake", async ({ baseURL }) => {
  for (const cookie of [undefined, "erp_session=not-a-session"]) {
    const socket = connect(String(baseURL), "websocket", cookie);
    try {
      await expect(ready(socket)).rejects.toThrow("unauthenticated");
      expect(socket.connected).toBe(false);
    } finally {
      socket.disconnect();
    }
  }
});
