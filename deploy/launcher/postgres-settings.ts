// The embedded PostgreSQL's server settings: the laptop-sized subset of
// deploy/postgresql/conf.d/erp.conf (the production file). The launcher reads
// them from here only, and passes each as `-c name=value`. Keep the two in step:
// the same intent, with sizes that fit a laptop.
export const laptopPostgresSettings: Readonly<Record<string, string>> = {
  // Only this machine may connect; nothing on the network reaches the database.
  listen_addresses: "127.0.0.1",
  // Enough for the web process pool, workers, tests and a psql session.
  max_connections: "100",
  // WAL may grow to 1 GB between checkpoints (production: 16 GB); a laptop's disk is small.
  max_wal_size: "1GB",
  // Keep 128 MB of WAL files for reuse instead of 2 GB.
  min_wal_size: "128MB",
  // Spread each checkpoint's writes over 90 % of the interval, as in production.
  checkpoint_completion_target: "0.9",
  // Autovacuum must stay on: heavy UPDATEs on stock and machines leave dead tuples.
  autovacuum: "on",
  // Three workers on a laptop's few cores (production: 5).
  autovacuum_max_workers: "3",
  // Vacuum a table once 5 % of it changed, not the default 20 %.
  autovacuum_vacuum_scale_factor: "0.05",
  // Let each vacuum round do more I/O before it pauses (default 200).
  autovacuum_vacuum_cost_limit: "1000",
  // Pause 10 ms when the cost limit is reached.
  autovacuum_vacuum_cost_delay: "10ms",
  // A forgotten open transaction must not hold stock rows locked for ever.
  idle_in_transaction_session_timeout: "60s",
  // Log lock waits longer than deadlock_timeout (1 s): contention shows in the [postgres] lines.
  log_lock_waits: "on",
};

export function postgresFlags(settings = laptopPostgresSettings): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
}
