import type { Logger } from "pino";
import type { Server } from "socket.io";
import type { Authenticate, ConnectionGate } from "./connection-gate";
import { roomsFor } from "./rooms";

/**
 * Checks every connected socket's session or token again, one at a time,
 * every `intervalMs`: a logout, a revoked token or a changed role or group
 * ends the socket ("io server disconnect"; the client has to connect again
 * and is refused or gets its new rooms). A database hiccup skips a round.
 */
export function reauthenticateSockets({
  io,
  gate,
  authenticate,
  intervalMs,
  log,
}: {
  io: Server;
  gate: ConnectionGate;
  authenticate: Authenticate;
  intervalMs: number;
  log: Logger;
}) {
  let running = false;
  let stopped = false;
  async function round() {
    if (running) return;
    running = true;
    try {
      for (const socket of [...io.of("/").sockets.values()]) {
        if (stopped) return;
        const credentials = gate.credentialsOf(socket);
        const principal = credentials ? await authenticate(credentials) : null;
        const joined = [...socket.rooms].filter((r) => r !== socket.id).sort();
        const allowed = principal ? roomsFor(principal).sort() : [];
        if (!principal || joined.join() !== allowed.join()) {
          log.info(
            { userId: (socket.data as { userId?: number }).userId },
            "socket's session no longer valid; closing it",
          );
          socket.disconnect(true);
        }
      }
    } catch (error) {
      log.warn({ err: error }, "re-authentication round skipped");
    } finally {
      running = false;
    }
  }
  const timer = intervalMs > 0 ? setInterval(() => void round(), intervalMs) : undefined;
  timer?.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
