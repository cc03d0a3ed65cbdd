import { env } from "../env";
import { AppError } from "../errors";
import { redis } from "../redis";

// Failed logins are counted in Redis per username and per client address, in
// a fixed window. Both counters matter: the first stops guessing one
// account's password, the second stops spraying one password over accounts.
const perAddressFactor = 4;
// Without a trusted proxy every client shares this address; counting it would
// let anyone lock everyone out, so only the per-username counter applies then.
const unknownAddress = "unknown";

function keys(username: string, ip: string) {
  return { user: `login-fail:user:${username}:${ip}`, address: `login-fail:ip:${ip}` };
}

export async function assertLoginAllowed({ username, ip }: { username: string; ip: string }): Promise<void> {
  const { LOGIN_MAX_FAILURES } = env();
  const k = keys(username, ip);
  const [userFailures, addressFailures] = await redis().mget(k.user, k.address);
  const blockedKey =
    Number(userFailures ?? 0) >= LOGIN_MAX_FAILURES
      ? k.user
      : ip !== unknownAddress && Number(addressFailures ?? 0) >= LOGIN_MAX_FAILURES * perAddressFactor
        ? k.address
        : undefined;
  if (!blockedKey) return;
  const ttl = await redis().ttl(blockedKey);
  const retryAfter = Math.max(1, ttl);
  throw new AppError(
    "too_many_requests",
    `Too many failed logins. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
    {},
    retryAfter,
  );
}

export async function recordLoginFailure({ username, ip }: { username: string; ip: string }): Promise<void> {
  const { LOGIN_WINDOW_SECONDS } = env();
  const k = keys(username, ip);
  // NX on the expiry: the window starts at the first failure and is not
  // extended by later ones.
  await redis()
    .multi()
    .incr(k.user)
    .expire(k.user, LOGIN_WINDOW_SECONDS, "NX")
    .incr(k.address)
    .expire(k.address, LOGIN_WINDOW_SECONDS, "NX")
    .exec();
}

export async function clearLoginFailures({ username, ip }: { username: string; ip: string }): Promise<void> {
  await redis().del(keys(username, ip).user);
}
