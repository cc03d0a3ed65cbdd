import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { Server } from "socket.io";
import { type Authenticate, ConnectionGate, type SocketIdentity } from "./connection-gate";
import { createLiveEmitter } from "./emit-live-message";
import { liveEventStream } from "./events";
import { FeederLease } from "./feeder-lease";
import { originAllowed } from "./handshake-credentials";
import { feedGroup, LiveEventFeed } from "./live-event-feed";
import { type ReadyMessage, readyEventName } from "./live-message";
import { connectedSockets, refusedHandshakes, registerStreamLag } from "./metrics";
import { reauthenticateSockets } from "./reauthenticate-sockets";
import { RestoreBarrier } from "./restore-barrier";
import { listenForRevocations } from "./revocation-listener";
import { roomsFor } from "./rooms";
import { keepSessions } from "./session-keeper";
import type { RealtimeSettings } from "./settings";
import { adapterKeys, createStreamsAdapter } from "./streams-adapter";

export const socketPath = "/ws/socket.io";
export const healthPath = "/ws/health";

export type RealtimeServer = Awaited<ReturnType<typeof startRealtimeServer>>;

/**
 * The Socket.IO server of the realtime process: authenticated sockets in
 * rooms by role and group, the Redis Streams adapter between instances, the
 * feed from the `events` stream, and GET /ws/health. It never writes to
 * PostgreSQL: it only reads sessions and tokens through `authenticate`.
 */
export async function startRealtimeServer({
  settings,
  redis,
  redisUrl,
  redisPrefix,
  authenticate,
  log,
}: {
  settings: RealtimeSettings;
  /** The process's client, with REDIS_PREFIX as its keyPrefix. */
  redis: Redis;
  redisUrl: string;
  redisPrefix: string;
  authenticate: Authenticate;
  log: Logger;
}) {
  // The adapter names its keys itself, with our prefix in front (see streams-adapter.ts).
  const adapterClient = new Redis(redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2000 });
  adapterClient.on("error", () => {});
  const barrier = new RestoreBarrier();
  const gate = new ConnectionGate(authenticate, barrier, log);

  const httpServer = createServer((req, res) => answerHttp(req, res));
  const io = new Server(httpServer, {
    path: socketPath,
    transports: ["polling", "websocket"],
    serveClient: false,
    // No CORS headers: pages reach this server on their own origin, through nginx.
    connectionStateRecovery: { maxDisconnectionDuration: settings.REALTIME_RECOVERY_MS, skipMiddlewares: false },
    adapter: createStreamsAdapter({
      client: adapterClient,
      redisPrefix,
      maxLen: settings.REALTIME_ADAPTER_MAXLEN,
      mayRestore: (session) => gate.mayRestore(session),
      barrier,
    }) as never,
    allowRequest: (req, answer) => {
      const allowed = originAllowed({
        origin: req.headers.origin,
        host: req.headers.host,
        allowedOrigins: settings.REALTIME_ALLOWED_ORIGINS,
      });
      if (!allowed) refusedHandshakes.inc({ reason: "origin" });
      answer(allowed ? null : "origin not allowed", allowed);
    },
  });
  gate.install(io);

  io.on("connection", (socket) => {
    connectedSockets.inc();
    socket.on("disconnect", () => connectedSockets.dec());
    const identity = socket.data as SocketIdentity;
    // Through the adapter (not socket.emit), so that it carries an offset:
    // a client that has received nothing else can still resume its session.
    const ready: ReadyMessage = { rooms: roomsFor(identity), recovered: socket.recovered };
    io.to(socket.id).emit(readyEventName, ready);
    // Clients have nothing to say here: anything they emit (a "join" asking
    // for another group's room, say) is ignored.
  });

  const keeper = keepSessions({
    io,
    adapterClient,
    sessionKeyPrefix: adapterKeys(redisPrefix).sessionKeyPrefix,
    recoveryMs: settings.REALTIME_RECOVERY_MS,
  });
  const reauth = reauthenticateSockets({ io, gate, authenticate, intervalMs: settings.REALTIME_REAUTH_MS, log });
  const subscriber = redis.duplicate();
  subscriber.on("error", () => {});
  const revocations = await listenForRevocations({ subscriber, redisPrefix, gate, log });

  const consumer = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const lease = new FeederLease(redis, consumer, settings.REALTIME_LEASE_MS, (error) =>
    log.warn({ err: error }, "feeder lease not refreshed"),
  );
  const reader = redis.duplicate();
  reader.on("error", () => {});
  const feed = new LiveEventFeed({
    redis,
    reader,
    lease,
    consumer,
    emit: createLiveEmitter(io),
    barrier,
    claimIdleMs: settings.REALTIME_CLAIM_IDLE_MS,
    blockMs: Math.min(2000, Math.max(100, Math.floor(settings.REALTIME_LEASE_MS / 3))),
    log,
  });
  registerStreamLag(async () => {
    const groups = (await redis.xinfo("GROUPS", liveEventStream)) as (string | number | null)[][];
    for (const fields of groups) {
      const info: Record<string, string | number | null> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) info[String(fields[i])] = fields[i + 1] ?? null;
      if (info.name === feedGroup) return Number(info.lag ?? 0) + Number(info.pending ?? 0);
    }
    return 0;
  });

  function answerHttp(req: IncomingMessage, res: ServerResponse) {
    const path = req.url?.split("?")[0];
    if (req.method === "GET" && path === healthPath) {
      const body = { status: "ok", connections: io.of("/").sockets.size, feeding: lease.held };
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not_found", message: "Nothing here." }));
  }

  await feed.start();
  await lease.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(settings.REALTIME_PORT, settings.REALTIME_HOST, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;

  return {
    io,
    port,
    /** Stops feeding (another instance takes over at once), stores every session, closes every socket. */
    async close(): Promise<void> {
      reauth.stop();
      revocations.stop();
      keeper.stop();
      await feed.stop();
      // Each socket's session is stored as it closes ("server shutting down"
      // is a recoverable reason); QUIT after those writes waits for them.
      await io.close();
      await adapterClient.quit().catch(() => {});
      reader.disconnect();
    },
  };
}
