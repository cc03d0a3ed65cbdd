import type { Redis } from "ioredis";
import type { Server, Socket } from "socket.io";
import { persistSession } from "./streams-adapter";

// Socket.IO stores a session for recovery when it sees a connection drop. A
// realtime process that is killed, or whose machine dies, sees nothing and
// stores nothing: every client would come back unrecovered and refetch at
// once. So each session is also stored while it is connected, refreshed
// well within its expiry; a client reconnecting to any instance after a
// crash then gets what it missed from the adapter's stream.

/** Disconnections after which the client may not resume its session (socket.io's own list, reversed). */
const finalReasons = new Set(["server namespace disconnect", "client namespace disconnect"]);

export function keepSessions({
  io,
  adapterClient,
  sessionKeyPrefix,
  recoveryMs,
}: {
  io: Server;
  /** The adapter's client: the same connection, so a deletion is never overtaken by an older store. */
  adapterClient: Redis;
  sessionKeyPrefix: string;
  recoveryMs: number;
}) {
  const nsp = io.of("/");
  const store = (socket: Socket) => {
    const pid = (socket as unknown as { pid?: string }).pid;
    if (!pid || !socket.connected) return;
    persistSession(nsp.adapter, { sid: socket.id, pid, rooms: [...socket.rooms], data: socket.data });
  };

  nsp.on("connection", (socket: Socket) => {
    store(socket);
    socket.on("disconnect", (reason) => {
      const pid = (socket as unknown as { pid?: string }).pid;
      // Logged out, revoked, or left on purpose: the stored copy must not let it back in.
      if (pid && finalReasons.has(reason)) adapterClient.del(`${sessionKeyPrefix}${pid}`).catch(() => {});
    });
  });

  const timer = setInterval(
    () => {
      for (const socket of nsp.sockets.values()) store(socket);
    },
    Math.max(250, Math.floor(recoveryMs / 3)),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
