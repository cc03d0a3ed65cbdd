import { io, type Socket } from "socket.io-client";
import { LiveEventTracker } from "../server/realtime/live-event-tracker";
import type { LiveMessage } from "../server/realtime/live-message";

// One load-generator process of the realtime suite (bench/realtime.ts forks
// a few): `count` socket.io-client clients over WebSocket through nginx,
// each with the bearer token, as tablets connect. For every live event each
// client notes when it arrived (wall clock with a fraction, comparable with
// the parent's), and its LiveEventTracker counts gaps and duplicates as the
// browser's would. Talks to the parent over IPC:
//   parent → { connect: { url, token, count, concurrency } } | { count: true } | { report: true } | { close: true }
//   child  → { connected: { ms, failed } } | { counted: arrivals } | { report: { receipts, gaps, duplicates, disconnects } }

type Command =
  | { connect: { url: string; token: string; count: number; concurrency: number } }
  | { report: true; reset?: boolean }
  | { count: true }
  | { close: true };

const epochMs = (): number => performance.timeOrigin + performance.now();

const sockets: Socket[] = [];
/** outboxId → arrival times, one per client that got it. */
let receipts = new Map<string, number[]>();
let gaps = 0;
let duplicates = 0;
let disconnects = 0;
/** Arrivals since the last reset, every event counted once per client. */
let arrivals = 0;

function send(message: unknown): void {
  process.send?.(message);
}

function connectOne(url: string, token: string): Promise<boolean> {
  const socket = io(url, {
    path: "/ws/socket.io",
    transports: ["websocket"],
    auth: { token },
    forceNew: true,
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 5_000,
    timeout: 60_000,
  });
  const tracker = new LiveEventTracker();
  socket.on("ready", (ready: { rooms: string[]; recovered: boolean }) => {
    tracker.setRooms(ready.rooms);
    if (!ready.recovered) tracker.restartNumbering();
  });
  socket.on("event", (message: LiveMessage) => {
    const at = epochMs();
    arrivals++;
    const verdict = tracker.track(message);
    if (verdict.duplicate) duplicates++;
    if (verdict.gap) gaps++;
    const list = receipts.get(message.outboxId);
    if (list) list.push(at);
    else receipts.set(message.outboxId, [at]);
  });
  socket.on("disconnect", () => disconnects++);
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once("connect", () => resolve(true));
    socket.once("connect_error", () => resolve(false));
  });
}

async function connectAll({
  url,
  token,
  count,
  concurrency,
}: {
  url: string;
  token: string;
  count: number;
  concurrency: number;
}) {
  const started = epochMs();
  let next = 0;
  let failed = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      next++;
      if (!(await connectOne(url, token))) failed++;
    }
  });
  await Promise.all(lanes);
  send({ connected: { ms: epochMs() - started, failed } });
}

process.on("message", (command: Command) => {
  if ("connect" in command) void connectAll(command.connect);
  else if ("count" in command) send({ counted: arrivals });
  else if ("report" in command) {
    send({ report: { receipts: [...receipts], gaps, duplicates, disconnects } });
    if (command.reset) {
      receipts = new Map();
      arrivals = 0;
      gaps = 0;
      duplicates = 0;
    }
  } else if ("close" in command) {
    for (const socket of sockets) socket.disconnect();
    setTimeout(() => process.exit(0), 200);
  }
});
process.on("disconnect", () => process.exit(0));
