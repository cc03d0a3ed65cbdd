// npm run token:create -- <username> "<token name>" [days]
// Issues a bearer token that acts as <username> (a tablet's operator account,
// an integration's service user) and prints it once. Only its hash is stored.
import { createApiToken } from "../server/auth/create-api-token";
import { closeDb, prisma } from "../server/db";

const [username, name, days] = process.argv.slice(2);
if (!username || !name) {
  console.error('usage: npm run token:create -- <username> "<token name>" [valid days]');
  process.exit(2);
}
const user = await prisma().user.findUnique({ where: { username } });
if (!user) {
  console.error(`no user named ${username}`);
  await closeDb();
  process.exit(1);
}
const expiresAt = days ? new Date(Date.now() + Number(days) * 86_400_000) : undefined;
const { id, token } = await createApiToken({ userId: user.id, name, expiresAt });
console.log(
  `token ${id} for ${username} (${user.role})${expiresAt ? `, valid until ${expiresAt.toISOString()}` : ""}:`,
);
console.log(token);
await closeDb();
