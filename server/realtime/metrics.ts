import { Counter, Gauge, Histogram, Registry } from "prom-client";

// The realtime server as Prometheus sees it. Socket counts are this
// instance's; the stream lag is read from Redis when scraped, so every
// instance reports the same truth.
export const realtimeRegistry = new Registry();

export const connectedSockets = new Gauge({
  name: "realtime_connected_sockets",
  help: "Sockets connected to this instance.",
  registers: [realtimeRegistry],
});

export const refusedHandshakes = new Counter({
  name: "realtime_refused_handshakes_total",
  help: "Socket connections refused, by reason.",
  labelNames: ["reason"],
  registers: [realtimeRegistry],
});

export const emittedEvents = new Counter({
  name: "realtime_events_emitted_total",
  help: "Live events this instance emitted into the Socket.IO adapter, by type.",
  labelNames: ["type"],
  registers: [realtimeRegistry],
});

export const emitFailures = new Counter({
  name: "realtime_emit_failures_total",
  help: "Live events that could not be written to the adapter's stream (they are emitted again).",
  registers: [realtimeRegistry],
});

export const eventDelay = new Histogram({
  name: "realtime_event_delay_seconds",
  help: "From the event's outbox row to its emission by the feeder.",
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 120],
  registers: [realtimeRegistry],
});

export const fanoutDuration = new Histogram({
  name: "realtime_fanout_seconds",
  help: "From the feeder taking a live event off the stream to its last write to this instance's sockets (the adapter's stream write included).",
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5],
  registers: [realtimeRegistry],
});

export const feederGauge = new Gauge({
  name: "realtime_feeder",
  help: "1 while this instance holds the feeder lease and emits the event stream.",
  registers: [realtimeRegistry],
});

/** Registers the stream lag gauge; `read` gives the entries not yet emitted (unread plus pending). */
export function registerStreamLag(read: () => Promise<number>): void {
  const name = "realtime_stream_lag_entries";
  realtimeRegistry.removeSingleMetric(name);
  new Gauge({
    name,
    help: "Entries of the events stream not yet emitted: unread by the consumer group, or read and not acknowledged.",
    registers: [realtimeRegistry],
    async collect() {
      // Redis away: keep the last value rather than fail the whole scrape.
      await read().then(
        (lag) => this.set(lag),
        () => {},
      );
    },
  });
}
