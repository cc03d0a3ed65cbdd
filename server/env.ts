import { z } from "zod";

// Every setting the server-side code reads, parsed once. Secrets come from the
// environment only; .env.example documents each variable.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),
  // Lets several databases' worth of tests, or several deployments, share one Redis.
  REDIS_PREFIX: z.string().default("erp:"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  // A session also ends after this long without a request (idle timeout).
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30)
    .default(120),
  // Set to "true" behind HTTPS so the session cookie is never sent in clear.
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Parsed lazily so that tests and scripts can set process.env first. */
export function env(): Env {
  if (!cached) cached = schema.parse(process.env);
  return cached;
}
