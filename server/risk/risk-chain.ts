import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { redis } from "../redis";
import { ProviderChain } from "./provider-chain";
import { riskLog } from "./risk-log";
import { riskProviders } from "./risk-providers";
import { type RiskSettings, riskSettings } from "./risk-settings";
import { SharedBreaker } from "./shared-breaker";

/** A provider chain from the environment, with its breaker state in `client` (the process's Redis by default). */
export function createRiskChain({
  env = process.env,
  client = redis(),
  log = riskLog,
  settings = riskSettings(env),
}: {
  env?: Record<string, string | undefined>;
  client?: Redis;
  log?: Logger;
  settings?: RiskSettings;
} = {}): ProviderChain {
  const { providers } = riskProviders(env);
  const breaker = new SharedBreaker({
    redis: client,
    threshold: settings.RISK_BREAKER_THRESHOLD,
    cooldownMs: settings.RISK_BREAKER_COOLDOWN_MS,
    timeoutMs: settings.RISK_BREAKER_REDIS_TIMEOUT_MS,
    log,
  });
  return new ProviderChain({ providers, breaker, settings, log });
}

const globalForRisk = globalThis as unknown as { erpRiskChain?: ProviderChain };

/** The process's chain, made on first use and logged once, so that people see which providers are asked. */
export function riskChain(): ProviderChain {
  if (!globalForRisk.erpRiskChain) {
    const { origin } = riskProviders();
    globalForRisk.erpRiskChain = createRiskChain();
    riskLog.info(
      { providers: globalForRisk.erpRiskChain.providers.map((p) => p.toJSON()), origin },
      "risk providers configured",
    );
  }
  return globalForRisk.erpRiskChain;
}
