import { z } from "zod";

// The relay's knobs, from the environment (documented in .env.example).
const schema = z.object({
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** How long a claimed message stays ours; a worker that dies loses it after this. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  /** The safety-net poll when no wake-up arrives. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Attempts before a message is dead-lettered. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  OUTBOX_RETRY_INITIAL_MS: z.coerce.number().int().min(1).default(1000),
  OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(1).default(300_000),
  /** Deliveries to external systems in flight at once, per worker. */
  OUTBOX_EXTERNAL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  SUPPLIER_API_URL: z.string().url().optional(),
  SUPPLIER_API_TOKEN: z.string().optional(),
  SUPPLIER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_METRICS_HOST: z.string().default("127.0.0.1"),
});

export type OutboxSettings = z.infer<typeof schema>;

export function outboxSettings(env: NodeJS.ProcessEnv = process.env): OutboxSettings {
  return schema.parse(env);
}
