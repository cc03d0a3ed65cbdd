import { randomUUID } from "node:crypto";
import path from "node:path";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { liveEventStream } from "../realtime/events";
import { type LiveMessage, liveEventName, type ReadyMessage, readyEventName } from "../realtime/live-message";
import { redis } from "../redis";
import { ProcessGroup, repoRoot } from "./process-group";
import { testFileEnv } from "./processes";
import { waitFor } from "./wait-for";

// The realtime process for integration tests (started with tsx, as systemd
// does, on the test file's database and Redis prefix), events put on the
// stream the way the outbox relay puts them, and socket.io clients that
// record everything they receive.

const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
let started = 0;

export type RealtimeProcess = ProcessGroup & { url: string; port: number };

/**
 * Starts `tsx workers/realtime.ts` (REALTIME_PORT 0 unless `port` is given:
 * it prints the port it got) with a short lease and claim time, and resolves
 * once it listens and, unless `feeding` is false, holds the feeder lease.
 */
export async function startRealtime({
  port = 0,
  env = {},
  feeding = true,
  timeoutMs = 30_000,
}: {
  port?: number;
  env?: Record<string, string>;
  feeding?: boolean;
  timeoutMs?: number;
} = {}): Promise<RealtimeProcess> {
  started++;
  const group = new ProcessGroup(
    `realtime-${started}`,
    tsx,
    ["workers/realtime.ts"],
    testFileEnv({
      ERP_SERVICE: `test-realtime-${process.pid}-${started}`,
      REALTIME_PORT: String(port),
      REALTIME_HOST: "127.0.0.1",
      REALTIME_METRICS_PORT: "0",
      REALTIME_LEASE_MS: "1000",
      REALTIME_CLAIM_IDLE_MS: "2000",
      LOG_LEVEL: "info",
      ...env,
    }),
  );
  const [, url] = await group.waitForLine(/realtime server listening on (http:\/\/\S+)/, timeoutMs);
  if (feeding) await group.waitForLine(/feeding the live event stream/, timeoutMs);
  return Object.assign(group, { url: url as string, port: Number(new URL(url as string).port) });
}

/** Puts an event on the `events` stream exactly as the outbox relay does; returns its outboxId. */
export async function appendLiveEvent(type: string, payload: unknown, outboxId = randomUUID()): Promise<string> {
  await redis().xadd(
    liveEventStream,
    "*",
    "type",
    type,
    "payload",
    JSON.stringify(payload),
    "at",
    new Date().toISOString(),
    "outboxId",
    outboxId,
    "aggregate",
    `test:${outboxId}`,
  );
  return outboxId;
}

/** A machine.status payload as the machines domain writes it. */
export function machineStatusPayload({ machineId, workCenterId }: { machineId: number; workCenterId: number }) {
  return {
    machineId,
    workCenterId,
    status: "breakdown",
    previousStatus: "running",
    eventId: String(Math.floor(Math.random() * 1e9)),
    type: "breakdown",
    note: null,
    reportedBy: null,
    at: new Date().toISOString(),
  };
}

export type LiveClient = {
  socket: Socket;
  /** Every live event received, in order, duplicates included. */
  events: LiveMessage[];
  readies: ReadyMessage[];
  /** `socket.recovered` at each connection, the first one included. */
  connections: boolean[];
  /** The outboxIds of every event packet that reached the client, even one the socket never emitted (unconnected). */
  packetOutboxIds: string[];
  outboxIds(): string[];
  /** Resolves once an event with this outboxId has arrived. */
  waitForOutboxIds(ids: string[], timeoutMs?: number): Promise<void>;
  /** Resolves with the next "connect" (after a reconnection). */
  nextConnect(timeoutMs?: number): Promise<void>;
  close(): void;
};

const clients = new Set<LiveClient>();

/**
 * A socket.io client on the realtime process, with a bearer token
 * (`auth: { token }`) or a cookie header. Resolves once connected; rejects
 * with the server's connect_error.
 */
export async function connectLive(
  url: string,
  {
    token,
    cookie,
    options = {},
  }: { token?: string; cookie?: string; options?: Partial<ManagerOptions & SocketOptions> } = {},
): Promise<LiveClient> {
  const socket = io(url, {
    path: "/ws/socket.io",
    transports: ["websocket"],
    auth: token ? { token } : {},
    extraHeaders: cookie ? { cookie } : undefined,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
    ...options,
  });
  const client: LiveClient = {
    socket,
    events: [],
    readies: [],
    connections: [],
    packetOutboxIds: [],
    outboxIds: () => client.events.map((e) => e.outboxId),
    async waitForOutboxIds(ids, timeoutMs = 10_000) {
      await waitFor(
        `events ${ids.join(", ")} on socket ${socket.id}`,
        () => ids.every((id) => client.outboxIds().includes(id)),
        { timeoutMs, intervalMs: 20, status: () => `received: ${JSON.stringify(client.outboxIds())}` },
      );
    },
    nextConnect(timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reconnection in time")), timeoutMs);
        socket.once("connect", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    close() {
      socket.disconnect();
      clients.delete(client);
    },
  };
  socket.on(liveEventName, (message: LiveMessage) => client.events.push(message));
  socket.on("connect", () => client.connections.push(socket.recovered));
  // Below the socket: what came over the wire, whether or not the socket was connected to hear it.
  socket.io.on("packet", (packet: { data?: unknown }) => {
    if (!Array.isArray(packet.data)) return; // CONNECT and CONNECT_ERROR carry an object
    const [name, body] = packet.data;
    if (name === liveEventName) client.packetOutboxIds.push((body as LiveMessage).outboxId);
  });
  socket.on(readyEventName, (message: ReadyMessage) => client.readies.push(message));
  clients.add(client);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (error) => reject(error));
    });
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/** Disconnects every client connectLive made (afterEach). */
export function closeLiveClients(): void {
  for (const client of [...clients]) client.close();
}
