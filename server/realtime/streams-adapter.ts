import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Redis } from "ioredis";
import type { RestoreBarrier } from "./restore-barrier";

// Socket.IO's Redis Streams adapter: every broadcast goes through one Redis
// stream that all realtime instances read, and the same stream is where a
// reconnecting client's missed events are replayed from (connection state
// recovery). Its keys live under REDIS_PREFIX like the rest of ours; the
// adapter's client has no keyPrefix of its own (the adapter names streams,
// channels and session keys itself), so the prefix is part of each name.

export type StoredSession = { sid: string; pid: string; rooms: string[]; data: unknown };

export function adapterKeys(redisPrefix: string) {
  return {
    streamName: `${redisPrefix}socket.io`,
    channelPrefix: `${redisPrefix}socket.io`,
    sessionKeyPrefix: `${redisPrefix}socket.io:session:`,
  };
}

type Packet = { type: number; data: unknown[] };
type ClusterMessage = { type: number; uid?: string; data?: { packet?: Packet; opts?: { except?: string[] } } };
type RestoredSession = StoredSession & { missedPackets: unknown[][] };
type AdapterInternals = {
  uid: string;
  doPublish(message: ClusterMessage): Promise<string>;
  onMessage(message: ClusterMessage, offset?: string): void;
  restoreSession(pid: string, offset: string): Promise<RestoredSession>;
  persistSession(session: StoredSession): void;
};

const broadcastMessage = 3; // socket.io-adapter's MessageType.BROADCAST
const failedPackets = new WeakSet<Packet>();

/**
 * Whether this packet's broadcast failed to reach the adapter's stream. The
 * adapter logs such a failure and still delivers the packet to this
 * instance's own sockets (without an offset): the others never see it.
 */
export function publishFailed(packet: Packet): boolean {
  return failedPackets.has(packet);
}

export function createStreamsAdapter({
  client,
  redisPrefix,
  maxLen,
  mayRestore,
  barrier,
}: {
  client: Redis;
  redisPrefix: string;
  maxLen: number;
  /** Asked before a stored session is handed back to a reconnecting client; false refuses the recovery. */
  mayRestore: (session: StoredSession) => boolean;
  barrier: RestoreBarrier;
}) {
  const create = createAdapter(client, { ...adapterKeys(redisPrefix), maxLen, readCount: 500, blockTimeInMs: 2000 });
  // Socket.IO calls this with `new`, hence a function rather than an arrow.
  return function streamsAdapter(nsp: unknown) {
    const adapter = create(nsp);
    const internals = adapter as unknown as AdapterInternals;
    const doPublish = internals.doPublish.bind(adapter);
    internals.doPublish = (message) =>
      Promise.resolve(doPublish(message)).catch((error: unknown) => {
        const packet = message.type === broadcastMessage ? message.data?.packet : undefined;
        if (packet) failedPackets.add(packet);
        throw error;
      });
    const restoreSession = internals.restoreSession.bind(adapter);
    internals.restoreSession = async (pid, offset) => {
      const session = await restoreSession(pid, offset);
      // A rejection is what the adapter itself gives for a missing session:
      // Socket.IO then starts a fresh one (socket.recovered === false).
      if (!mayRestore(session)) throw new Error("session may not be restored");
      // Each replayed packet ends with its offset in the stream.
      const lastReplayed = session.missedPackets.at(-1)?.at(-1);
      barrier.restored(session.sid, typeof lastReplayed === "string" ? lastReplayed : offset);
      return session;
    };
    const onMessage = internals.onMessage.bind(adapter);
    internals.onMessage = (message, offset) => {
      // Broadcasts of other instances, read from the stream (see restore-barrier.ts).
      if (offset === undefined || message.type !== broadcastMessage || message.uid === internals.uid) {
        return onMessage(message, offset);
      }
      barrier.incoming(offset, (except) => {
        const opts = message.data?.opts;
        if (opts && except.length > 0) opts.except = [...(opts.except ?? []), ...except];
        onMessage(message, offset);
      });
    };
    return adapter;
  };
}

/** Stores a socket's session now, as Socket.IO does when it sees the connection drop. */
export function persistSession(adapter: unknown, session: StoredSession): void {
  (adapter as AdapterInternals).persistSession(session);
}
