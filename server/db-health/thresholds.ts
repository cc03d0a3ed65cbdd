// When the database health page warns. Documented here and shown on the page.
export const healthThresholds = {
  /**
   * HOT updates write no index entries and little WAL; the hot tables have
   * fillfactor 80 so that nearly all of their updates are HOT. Below 90 %
   * (the goal in bench/README.md) something defeats it: an index on a column
   * that changes, or pages with no room left.
   */
  minHotRatio: 0.9,
  /** The ratio means little over a handful of updates. */
  minUpdatesForHotRatio: 200,
  /** Dead row versions above this share of live ones, and above minDeadTuples: autovacuum is not keeping up. */
  maxDeadTupleRatio: 0.2,
  minDeadTuples: 1000,
  /** The oldest undelivered outbox message may wait this long before it is a lag worth a look. */
  maxOutboxLagSeconds: 60,
} as const;

/** The tables that take an UPDATE on most business events (and the sessions' activity clock). */
export const hotTables = [
  "inventory_items",
  "reservations",
  "machines",
  "work_orders",
  "outbox_messages",
  "purchase_orders",
  "purchase_order_lines",
  "sessions",
  "api_tokens",
] as const;
