import { z } from "zod";

// What each simulated provider is told to do, kept in memory: the stand-in
// is one process, and a restart back to "ok" is what a demo wants.
//
//   ok            a plausible answer computed from the prompt's figures
//   timeout       never answers (until the caller gives up)
//   rate_limit    429 with Retry-After (2 s unless told otherwise)
//   error         500
//   invalid_json  200 whose message is cut-off JSON, as from a model stopped mid-answer
//   unauthorized  401, as for a wrong key

export const faultModes = ["ok", "timeout", "rate_limit", "error", "invalid_json", "unauthorized"] as const;
export const faultMode = z.enum(faultModes);
export type FaultMode = z.infer<typeof faultMode>;

/** A provider's fault: a mode, or a mode with its Retry-After (seconds) and an added latency (ms). */
const faultSetting = z.union([
  faultMode,
  z.strictObject({
    mode: faultMode,
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    latencyMs: z.number().int().min(0).max(60_000).optional(),
  }),
]);

export type ProviderFault = { mode: FaultMode; retryAfterSeconds: number; latencyMs: number };

export class FaultTable {
  private readonly faults = new Map<string, ProviderFault>();

  constructor(
    readonly providers: readonly string[],
    private readonly defaultLatencyMs: number,
  ) {
    for (const name of providers) this.faults.set(name, this.fresh("ok"));
  }

  /** Strict: a misspelt provider or mode is refused rather than silently ignored. */
  updateSchema() {
    return z.partialRecord(z.enum(this.providers as [string, ...string[]]), faultSetting);
  }

  get(provider: string): ProviderFault | undefined {
    return this.faults.get(provider);
  }

  /** Merges an update (only the providers it names change); returns the table as GET /faults shows it. */
  update(update: Record<string, z.infer<typeof faultSetting> | undefined>): Record<string, FaultMode> {
    for (const [name, setting] of Object.entries(update)) {
      if (setting === undefined) continue;
      this.faults.set(
        name,
        typeof setting === "string"
          ? this.fresh(setting)
          : { ...this.fresh(setting.mode), ...definedOnly(setting), mode: setting.mode },
      );
    }
    return this.modes();
  }

  modes(): Record<string, FaultMode> {
    return Object.fromEntries([...this.faults].map(([name, fault]) => [name, fault.mode]));
  }

  private fresh(mode: FaultMode): ProviderFault {
    return { mode, retryAfterSeconds: 2, latencyMs: this.defaultLatencyMs };
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
