// npm run db:migrate: applies pending migrations to DATABASE_URL.
import { migrate } from "../server/db/migrate";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set. (npm start migrates its embedded database by itself.)");
  process.exit(2);
}
try {
  const { applied } = await migrate({ databaseUrl, log: (line) => console.log(line) });
  console.log(applied.length ? `applied ${applied.length} migration(s)` : "database is up to date");
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
