import net from "node:net";

// The far end of the realtime suite's baseline (realtime-baseline.ts), in a
// process of its own: `count` plain TCP connections to the bench's listener
// that read and discard, counting bytes. Talks to the parent over IPC:
//   parent → { connect: { port, count } } | { bytes: true } | { close: true }
//   child  → { connected: true } | { bytes: n }

const sockets: net.Socket[] = [];
let bytes = 0;

function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => resolve());
    socket.on("data", (chunk) => {
      bytes += chunk.length;
    });
    socket.once("error", reject);
    sockets.push(socket);
  });
}

process.on("message", async (message: { connect?: { port: number; count: number }; bytes?: true; close?: true }) => {
  if (message.connect) {
    const { port, count } = message.connect;
    for (let i = 0; i < count; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, count - i) }, () => connect(port)));
    }
    process.send?.({ connected: true });
  } else if (message.bytes) {
    process.send?.({ bytes });
  } else if (message.close) {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }
});
