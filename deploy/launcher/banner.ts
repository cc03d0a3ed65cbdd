import { demoLogins } from "../../server/demo/seed-demo-data";
import { bold } from "./log";

/** What a person needs after `npm start`: where to go and how to sign in. */
export function printBanner({
  url,
  dev,
  services,
  health,
}: {
  url: string;
  dev: boolean;
  services: string[];
  health: { status: number; body: string };
}): void {
  const rule = "─".repeat(72);
  const lines = [
    rule,
    bold(`  Factory ERP is ${dev ? "running in development mode" : "up"}: ${url}`),
    "  Open it in a browser and sign in with one of the demo logins:",
    "",
    `    ${"username".padEnd(10)} ${"password".padEnd(16)} role`,
    ...demoLogins.map((l) => `    ${l.username.padEnd(10)} ${l.password.padEnd(16)} ${l.role}`),
    "",
    "  These accounts and passwords are demo data only: never keep them on a",
    "  server that holds real data.",
    "",
    ...services.map((s) => `  ${s}`),
    `  Health: ${health.status} ${health.body.slice(0, 120)}`,
    "  Stop everything with Ctrl-C.",
    rule,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
