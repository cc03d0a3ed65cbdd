import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { Server, Socket } from "socket.io";
import type { Revocation } from "../auth/revocation";
import type { Principal } from "../auth/roles";
import type { SocketPrincipal } from "./authenticate-socket";
import { type Credentials, handshakeCredentials } from "./handshake-credentials";
import { refusedHandshakes } from "./metrics";
import { RecentRevocations, revokes } from "./recent-revocations";
import type { RestoreBarrier } from "./restore-barrier";
import { roomsFor } from "./rooms";
import type { StoredSession } from "./streams-adapter";

export type Authenticate = (credentials: Credentials) => Promise<SocketPrincipal | null>;

/** What socket.data holds: who the socket is, never the credential (it is stored in Redis with the session). */
export type SocketIdentity = { userId: number; role: Principal["role"]; workCenterId: number | null };

/** A handshake's authentication; `checkedAt` is when the check started (see RecentRevocations). */
type Verdict = { credentials: Credentials; principal: SocketPrincipal | null; checkedAt: number; failed?: unknown };
type Auth = Record<string, unknown>;
type NamespaceInternals = {
  _createSocket(client: { request: IncomingMessage }, auth: Auth): Promise<Socket>;
};

/**
 * Authenticates every socket at the handshake, recovered or not, and puts it
 * in the rooms of its role and group; nothing else ever adds a socket to a
 * room.
 *
 * Recovery needs care: Socket.IO restores a session (its rooms, and the
 * events missed since, which it sends at once) BEFORE the middlewares run,
 * so a middleware that refused a revoked session afterwards would be too
 * late: the missed events would already be on the wire. So the credentials
 * are checked before the socket is created (by wrapping the namespace's
 * socket factory), and a session is only restored for the same user whose
 * rooms are still all allowed; otherwise the client gets a new session
 * (`recovered === false`) and must refetch. Socket.IO is pinned (4.8.4);
 * `install` fails loudly if the wrapped method is gone.
 */
export class ConnectionGate {
  private readonly verdicts = new WeakMap<Socket, Verdict>();
  /** Sessions a reconnecting client asked for, by private id, while its socket is being created. */
  private readonly expected = new Map<string, { userId: number; rooms: Set<string> }>();
  /** Restores in progress whose socket is created but not yet connected: what ends each (see endRestoreOnceSettled). */
  private readonly restores = new WeakMap<Socket, () => void>();
  private readonly revocations = new RecentRevocations();
  private io?: Server;

  constructor(
    private readonly authenticate: Authenticate,
    private readonly barrier: RestoreBarrier,
    private readonly log: Logger,
  ) {}

  install(io: Server): void {
    this.io = io;
    const nsp = io.of("/") as unknown as NamespaceInternals;
    if (typeof nsp._createSocket !== "function") {
      throw new Error("socket.io changed: Namespace._createSocket is gone (see server/realtime/connection-gate.ts)");
    }
    const createSocket = nsp._createSocket.bind(nsp);
    nsp._createSocket = async (client, auth) => {
      const verdict = await this.judge(client.request, auth);
      const pid = typeof auth?.pid === "string" ? auth.pid : undefined;
      const restoring = Boolean(pid && verdict.principal && typeof auth.offset === "string");
      let attempt = auth;
      if (pid && verdict.principal) {
        this.expected.set(pid, { userId: verdict.principal.userId, rooms: new Set(roomsFor(verdict.principal)) });
      } else if (pid) {
        const { pid: _pid, offset: _offset, ...rest } = auth;
        attempt = rest;
      }
      const endRestore = restoring ? this.barrier.begin() : undefined;
      try {
        const socket = await createSocket(client, attempt);
        this.verdicts.set(socket, verdict);
        if (endRestore) this.endRestoreOnceSettled(socket, endRestore);
        return socket;
      } catch (error) {
        endRestore?.();
        throw error;
      } finally {
        if (pid) this.expected.delete(pid);
      }
    };
    // Registered before any other "connection" listener (this runs first).
    io.on("connection", (socket) => this.restores.get(socket)?.());
    io.use((socket, next) => {
      const verdict = this.verdicts.get(socket);
      const reason = !verdict
        ? "unauthenticated"
        : verdict.failed
          ? "unavailable"
          : verdict.principal && !this.revocations.revokedSince(verdict.principal, verdict.checkedAt)
            ? null
            : "unauthenticated";
      if (reason || !verdict?.principal) {
        this.restores.get(socket)?.();
        refusedHandshakes.inc({ reason: reason ?? "unauthenticated" });
        if (verdict?.failed) this.log.error({ err: verdict.failed }, "could not authenticate a socket");
        return next(new Error(reason ?? "unauthenticated"));
      }
      const { userId, role, workCenterId } = verdict.principal;
      socket.data = { userId, role, workCenterId } satisfies SocketIdentity;
      socket.join(roomsFor(verdict.principal));
      next();
    });
  }

  /**
   * A restored socket is in its rooms as soon as Socket.IO creates it, but
   * broadcasts reach it only once it is connected: Socket.IO adds it to the
   * namespace's sockets after the middlewares, a tick later, and until then
   * the adapter skips it without a trace. A broadcast the barrier held during
   * the restore, released in between, was lost for that socket (one event in
   * a thousand, under load). So the restore ends when the socket is
   * connected, or when it never will be (refused, or its connection closed).
   */
  private endRestoreOnceSettled(socket: Socket, endRestore: () => void): void {
    const conn = socket.conn;
    const settle = () => {
      this.restores.delete(socket);
      conn.off("close", settle);
      endRestore();
    };
    this.restores.set(socket, settle);
    if (conn.readyState === "open") conn.once("close", settle);
    else settle();
  }

  /**
   * An announced revocation: every connected socket it names is closed at
   * once ("io server disconnect": its stored session is deleted, so it
   * cannot resume), and a handshake checked before it is refused.
   */
  revoke(revocation: Revocation): number {
    this.revocations.add(revocation);
    let closed = 0;
    for (const socket of [...(this.io?.of("/").sockets.values() ?? [])]) {
      const principal = this.verdicts.get(socket)?.principal;
      if (principal && revokes(revocation, principal)) {
        socket.disconnect(true);
        closed++;
      }
    }
    return closed;
  }

  /** The credentials a socket connected with, to check them again later. */
  credentialsOf(socket: Socket): Credentials | undefined {
    return this.verdicts.get(socket)?.credentials;
  }

  /** Asked by the adapter before it hands a stored session back (see the class comment). */
  mayRestore(session: StoredSession): boolean {
    const expected = this.expected.get(session.pid);
    if (!expected) return false;
    const data = session.data as Partial<SocketIdentity> | undefined;
    if (data?.userId !== expected.userId) return false;
    if (!session.rooms.every((r) => r === session.sid || expected.rooms.has(r))) return false;
    // The client's old connection may still be open here, half-dead (a
    // tablet that switched access points before the server noticed). Two
    // sockets with one id would corrupt the room table: close the old one.
    this.io?.of("/").sockets.get(session.sid)?.disconnect(true);
    return true;
  }

  private async judge(request: IncomingMessage, auth: Auth | undefined): Promise<Verdict> {
    const credentials = handshakeCredentials({ headers: request.headers, auth });
    const checkedAt = Date.now();
    try {
      const principal =
        credentials.bearerToken || credentials.sessionToken ? await this.authenticate(credentials) : null;
      return { credentials, principal, checkedAt };
    } catch (failed) {
      return { credentials, principal: null, checkedAt, failed };
    }
  }
}
