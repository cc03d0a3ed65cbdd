import type { RealtimeResults } from "./realtime";
import { goalsTable } from "./results";

// The realtime suite's markdown (bench/results/realtime-latest.md).

const groups = ["realtime", "nginx", "clients", "worker", "postgres", "redis", "bench", "other"];

export function realtimeMarkdown(results: RealtimeResults): string {
  const { settings, connect, machine } = results;
  const lines = [
    `# Realtime benchmark (${results.startedAt})`,
    "",
    `Command: \`${results.command}\`. Machine: ${machine.cpus} CPUs, open files limit ${machine.openFilesLimit}, load average before ${machine.loadAverageBefore.map((l) => l.toFixed(2)).join(" / ")}, after ${machine.loadAverageAfter.map((l) => l.toFixed(2)).join(" / ")}.`,
    "",
    `${settings.clients.toLocaleString("en-US")} socket.io clients (WebSocket, bearer token, ${settings.generators} load-generator processes) through nginx (deploy/nginx's config, plain HTTP) on one realtime process; every event goes to every client. Connected in ${(connect.ms / 1000).toFixed(1)} s (${settings.connectConcurrency} handshakes at a time per generator), ${connect.failed} failed; ${connect.connectedAtEnd.toLocaleString("en-US")} still connected at the end.`,
    "",
    "| path | events/s | deliveries/s | events | delivered / expected | dup · gaps | p50 ms | p90 ms | p99 ms | max ms | last client p99 ms | busy | CPU µs per delivery |",
    "|---|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
    ...results.phases.map((p) => {
      const cpu = groups
        .filter((g) => p.cpu.msPerOk[g] !== undefined)
        .map((g) => `${g} ${Math.round((p.cpu.msPerOk[g] ?? 0) * 1000)}`)
        .join(" · ");
      const label = p.path === "stream" ? "stream entry → client" : "commit → client";
      return `| ${label} | ${p.rate} | ${(p.rate * p.clients).toLocaleString("en-US")} | ${p.events} | ${p.delivered.toLocaleString("en-US")} / ${p.expected.toLocaleString("en-US")} | ${p.duplicates} · ${p.gaps} | ${p.latencyMs.p50} | ${p.latencyMs.p90} | ${p.latencyMs.p99} | ${p.latencyMs.max} | ${p.lastClientMs.p99} | ${Math.round(p.cpu.busyShare * 100)}% | ${cpu} |`;
    }),
    "",
    "The realtime process's own share (its `realtime_fanout_seconds` histogram: from taking an event off the stream to its last socket write; quantiles as the bucket bound they fall under):",
    "",
    "| path | events/s | events (warm-up too) | fan-out p50 ms, at most | p99 ms, at most | max ms, at most | within 50 ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...results.phases.map((p) => {
      const f = p.fanout;
      const label = p.path === "stream" ? "stream entry → client" : "commit → client";
      return `| ${label} | ${p.rate} | ${f.events} | ${f.p50AtMostMs} | ${f.p99AtMostMs} | ${f.maxAtMostMs} | ${(f.within50Ms * 100).toFixed(1)}% |`;
    }),
    "",
    `Baseline, the machine's own price for those writes: one ${results.baseline.frameBytes}-byte write to each of ${results.baseline.clients.toLocaleString("en-US")} loopback TCP sockets in a bare Node loop (no Socket.IO, no nginx), ${results.baseline.rounds} rounds: a round took p50 ${results.baseline.fanoutMs.p50} ms, p99 ${results.baseline.fanoutMs.p99} ms, max ${results.baseline.fanoutMs.max} ms; ${results.baseline.cpuMicrosPerWrite} µs of CPU per write.`,
    "",
    "| path | events/s | realtime CPU µs per delivery | ÷ baseline µs per write |",
    "|---|---:|---:|---:|",
    ...results.phases.map((p) => {
      const label = p.path === "stream" ? "stream entry → client" : "commit → client";
      const micros = (p.cpu.msPerOk.realtime ?? 0) * 1000;
      return `| ${label} | ${p.rate} | ${Math.round(micros)} | ${(micros / results.baseline.cpuMicrosPerWrite).toFixed(2)} |`;
    }),
    "",
    ...goalsTable(results.goals),
    "",
    `Checks (every client connected, every event delivered to every client, no gap): ${results.pass ? "PASS" : "FAIL"}.`,
    "",
  ];
  return lines.join("\n");
}
