import net from "node:net";

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel says is free right now. Another process could still take
 * it before we bind it; the launcher accepts that small race on a dev machine. */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The preferred port when it is free, else any free one. */
export async function preferredOrFreePort(preferred: number, host = "127.0.0.1"): Promise<number> {
  return (await isPortFree(preferred, host)) ? preferred : freePort(host);
}
