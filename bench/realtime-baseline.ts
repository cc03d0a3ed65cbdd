import { fork } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { quantile, round } from "./stats";

// The realtime suite's baseline: what the machine itself charges for the
// writes a fan-out is made of. The bench process writes one frame-sized
// buffer to each of `clients` loopback TCP sockets (their far ends in a
// child process that reads and discards), in a bare loop, `rounds` times at
// the suite's lowest rate. No Socket.IO, no nginx, no JSON: one write call per
// socket, which is the floor under a broadcast's per-socket cost on this
// machine (the kernel's loopback send, with the receiving side's network
// processing, is charged to the writer).

export type BaselineResult = {
  clients: number;
  rounds: number;
  frameBytes: number;
  /** One round: from the first write to the last write's return, ms. */
  fanoutMs: { p50: number; p99: number; max: number };
  /** Bench-process CPU (user + system) per write, µs. */
  cpuMicrosPerWrite: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureRawFanout({
  root,
  clients,
  rounds,
  rate,
  frameBytes,
}: {
  root: string;
  clients: number;
  rounds: number;
  rate: number;
  frameBytes: number;
}): Promise<BaselineResult> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true); // as ws sets it on WebSocket connections
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const sink = fork(path.join(root, "bench/realtime-sink.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<never>((_, reject) =>
    sink.once("exit", (code) => reject(new Error(`baseline sink exited with code ${code}`))),
  );
  exited.catch(() => {}); // only an error while an answer is awaited
  const ask = <T>(message: object, key: string) =>
    Promise.race([
      exited,
      new Promise<T>((resolve) => {
        const onMessage = (answer: Record<string, unknown>) => {
          if (!(key in answer)) return;
          sink.off("message", onMessage);
          resolve(answer[key] as T);
        };
        sink.on("message", onMessage);
        sink.send(message);
      }),
    ]);
  try {
    await ask({ connect: { port, count: clients } }, "connected");
    while (accepted.length < clients) await sleep(10);
    const frame = Buffer.alloc(frameBytes, "x");
    const durations: number[] = [];
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    for (let r = 0; r < rounds; r++) {
      const wait = start + (r * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const t0 = performance.now();
      for (const socket of accepted) socket.write(frame);
      durations.push(performance.now() - t0);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const expected = frameBytes * clients * rounds;
    for (let waited = 0; (await ask<number>({ bytes: true }, "bytes")) < expected; waited += 100) {
      if (waited > 30_000) throw new Error("the baseline sink did not receive every frame");
      await sleep(100);
    }
    const sorted = Float64Array.from(durations).sort();
    return {
      clients,
      rounds,
      frameBytes,
      fanoutMs: {
        p50: round(quantile(sorted, 0.5), 1),
        p99: round(quantile(sorted, 0.99), 1),
        max: round(quantile(sorted, 1), 1),
      },
      // The sleeps between rounds cost next to nothing; the loops are the CPU.
      cpuMicrosPerWrite: round((cpu.user + cpu.system) / (clients * rounds), 1),
    };
  } finally {
    if (sink.connected) sink.send({ close: true });
    for (const socket of accepted) socket.destroy();
    server.close();
  }
}
