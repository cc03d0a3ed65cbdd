import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { parseRevocation, revocationChannel } from "../auth/revocation";
import type { ConnectionGate } from "./connection-gate";

/**
 * Closes the sockets of a revoked token, session or user as soon as the web
 * app announces it (server/auth/revocation.ts), on every realtime instance.
 * Pub/sub keeps no message for a subscriber that is away: during a Redis
 * outage an announcement is lost, and the periodic re-authentication
 * (REALTIME_REAUTH_MS) closes those sockets instead.
 */
export async function listenForRevocations({
  subscriber,
  redisPrefix,
  gate,
  log,
}: {
  /** A connection of its own: a subscribed connection can do nothing else. */
  subscriber: Redis;
  redisPrefix: string;
  gate: ConnectionGate;
  log: Logger;
}) {
  const channel = revocationChannel(redisPrefix);
  subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    const revocation = parseRevocation(message);
    if (!revocation) {
      log.warn({ channel }, "revocation message not understood; ignored");
      return;
    }
    const closed = gate.revoke(revocation);
    log.info({ kind: revocation.kind, closed }, "credential revoked; its sockets closed");
  });
  // ioredis subscribes again by itself after a reconnection.
  await subscriber.subscribe(channel);
  return {
    stop: () => subscriber.disconnect(),
  };
}
