import { z } from "zod";

// The realtime server's knobs, from the environment. Times are milliseconds.
const schema = z.object({
  REALTIME_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  REALTIME_HOST: z.string().min(1).default("127.0.0.1"),
  /** How long a dropped client's session (rooms and missed events) is kept for it. */
  REALTIME_RECOVERY_MS: z.coerce.number().int().min(500).default(120_000),
  /** Prometheus metrics on their own local port, never behind nginx; 0 turns them off. */
  REALTIME_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9465),
  REALTIME_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** The feeder's lease: a dead instance's successor starts feeding within this time. */
  REALTIME_LEASE_MS: z.coerce.number().int().min(300).default(5000),
  /** Entries that a consumer took but has not acknowledged for this long are claimed by the feeder. */
  REALTIME_CLAIM_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Every socket's session or token is checked again this often (revoked → disconnected); 0 turns it off. */
  REALTIME_REAUTH_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * Entries the adapter's Redis stream keeps for catching up. It must hold
   * REALTIME_RECOVERY_MS of traffic: every emitted event, plus one "ready"
   * per connection; a client whose last entry was trimmed is not recovered.
   */
  REALTIME_ADAPTER_MAXLEN: z.coerce.number().int().min(1000).default(20_000),
  /** Browser origins allowed besides the server's own host (comma-separated, e.g. https://erp.example.com). */
  REALTIME_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
});

export type RealtimeSettings = z.infer<typeof schema>;

export function realtimeSettings(env: NodeJS.ProcessEnv = process.env): RealtimeSettings {
  return schema.parse(env);
}
