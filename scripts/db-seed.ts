// npm run db:seed: fills DATABASE_URL with the demo factory, once. A database
// that already has users is left untouched. Run npm run db:migrate first.
import { closeDb } from "../server/db";
import { demoLogins, seedDemoData } from "../server/demo/seed-demo-data";

if (!process.env.DATABASE_URL) {
  console.error("DATABASE_URL is not set. (npm start seeds its embedded database by itself.)");
  process.exit(2);
}
try {
  const { seeded } = await seedDemoData();
  if (seeded) {
    console.log("seeded the demo factory; demo logins (demo data only):");
    for (const login of demoLogins)
      console.log(
        `  ${login.username.padEnd(10)} ${login.password.padEnd(16)} ${login.role}${login.group ? ` (${login.group})` : ""}`,
      );
  } else {
    console.log("database already has users: nothing seeded");
  }
} catch (error) {
  console.error(`seeding failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await closeDb();
}
