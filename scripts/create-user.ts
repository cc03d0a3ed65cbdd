// npm run user:create -- <username> <role> "<display name>" [work center id]
// Creates a login, for example the first admin of a production install (the
// demo seed never runs there). The password is read from standard input, so
// it stays out of the shell's history and the process list:
//   printf '%s' "$PASSWORD" | npm run user:create -- alice admin "Alice Admin"
import { text } from "node:stream/consumers";
import { z } from "zod";
import { hashPassword } from "../server/auth/password";
import { roleSchema } from "../server/auth/roles";
import { closeDb, prisma } from "../server/db";

const argsSchema = z
  .tuple([
    z.string().regex(/^[a-z0-9._-]{3,40}$/, "3 to 40 characters: lower-case letters, digits, dot, dash, underscore"),
    roleSchema,
    z.string().trim().min(1).max(120),
    z.coerce.number().int().positive().optional(),
  ])
  .refine(([, role, , workCenterId]) => (role === "operator") === (workCenterId !== undefined), {
    message: "an operator needs a work center id, and only an operator has one",
  });

const parsed = argsSchema.safeParse(process.argv.slice(2));
if (!parsed.success) {
  console.error(`usage: npm run user:create -- <username> <role> "<display name>" [work center id]`);
  console.error(`roles: ${roleSchema.options.join(", ")}`);
  for (const issue of parsed.error.issues) console.error(`- ${issue.message}`);
  process.exit(2);
}
const [username, role, displayName, workCenterId] = parsed.data;

if (process.stdin.isTTY) console.error("password (then Enter and Ctrl-D):");
const password = (await text(process.stdin)).replace(/\r?\n$/, "");
if (password.length < 12) {
  console.error("the password must have at least 12 characters");
  process.exit(2);
}

try {
  const user = await prisma().user.create({
    data: { username, role, displayName, workCenterId, passwordHash: await hashPassword(password) },
  });
  console.log(`user ${user.id} ${username} (${role}) created`);
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(code === "P2002" ? `a user named ${username} exists already` : `could not create the user: ${error}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
