import type { Server } from "socket.io";
import { liveEventName, type OutgoingLiveMessage } from "./live-message";
import { publishFailed } from "./streams-adapter";

type BroadcastingAdapter = {
  broadcast(
    packet: { type: number; data: unknown[] },
    opts: { rooms: Set<string>; except: Set<string>; flags: Record<string, never> },
  ): Promise<void> | void;
};

const eventPacket = 2; // socket.io-parser's PacketType.EVENT

/**
 * Emits one live event to `rooms` through the adapter, as
 * `io.to(rooms).emit("event", message)` would, and says whether it reached
 * the adapter's stream: only then do the other instances deliver it and can
 * a reconnecting client get it again. `emit` itself cannot tell.
 */
export function createLiveEmitter(io: Server) {
  return async function emitLiveMessage(rooms: string[], message: OutgoingLiveMessage): Promise<boolean> {
    const packet = { type: eventPacket, data: [liveEventName, message] as unknown[] };
    const adapter = io.of("/").adapter as unknown as BroadcastingAdapter;
    await adapter.broadcast(packet, { rooms: new Set(rooms), except: new Set(), flags: {} });
    return !publishFailed(packet);
  };
}

export type LiveEmitter = ReturnType<typeof createLiveEmitter>;
