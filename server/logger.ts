import pino from "pino";

// Structured JSON logs. Anything that might carry a secret is redacted at the
// source, so a careless `log.info({ req })` cannot leak a cookie or a token.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.ERP_SERVICE ?? "web" },
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
