import path from "node:path";
import pino from "pino";

// ERP_SERVICE when the launcher or systemd sets it; otherwise the entry
// script's name (workers/worker.ts → "worker"), and "web" under Next.js.
function serviceName(): string {
  if (process.env.ERP_SERVICE) return process.env.ERP_SERVICE;
  const script = path.basename(process.argv[1] ?? "", path.extname(process.argv[1] ?? ""));
  return !script || script === "next" || script.startsWith("next-") ? "web" : script;
}

// Structured JSON logs. Anything that might carry a secret is redacted at the
// source, so a careless `log.info({ req })` cannot leak a cookie or a token.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: serviceName() },
  redact: {
    paths: [
      "password",
      "*.password",
      "token",
      "*.token",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});
