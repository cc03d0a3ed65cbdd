import { Redis } from "ioredis";
import { parseRevocation, type Revocation, revocationChannel } from "../auth/revocation";
import { env } from "../env";
import { waitFor } from "./wait-for";

/**
 * Listens on this test file's revocation channel, as the realtime process
 * does, and keeps what it hears: tests check that a revoked token or an ended
 * session is announced to open sockets, not only refused on HTTP.
 */
export async function listenForRevocations() {
  const subscriber = new Redis(env().REDIS_URL, { lazyConnect: true });
  const heard: Revocation[] = [];
  subscriber.on("message", (_channel: string, message: string) => {
    const revocation = parseRevocation(message);
    if (revocation) heard.push(revocation);
  });
  await subscriber.connect();
  await subscriber.subscribe(revocationChannel());
  return {
    heard,
    /** Waits until `revocation` has been heard. */
    expect: (revocation: Revocation) =>
      waitFor(
        `the announcement ${JSON.stringify(revocation)}`,
        () => heard.some((r) => JSON.stringify(r) === JSON.stringify(revocation)),
        { timeoutMs: 10_000, status: () => `heard: ${JSON.stringify(heard)}` },
      ),
    close: () => subscriber.quit().catch(() => {}),
  };
}
