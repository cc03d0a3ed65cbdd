import { logger } from "../logger";

// The risk check's logger. Provider keys never reach a log line by design
// (RiskProvider keeps its key in a private field, errors never quote
// requests or refusal bodies); these paths are the second line of defence,
// should someone log a request, its headers or the settings one day.
export const riskLog = logger.child(
  { component: "risk" },
  {
    redact: {
      paths: [
        "key",
        "*.key",
        "apiKey",
        "*.apiKey",
        "authorization",
        "*.authorization",
        "headers.authorization",
        "*.headers.authorization",
        "RISK_PROVIDERS",
        "*.RISK_PROVIDERS",
        "token",
        "*.token",
        "password",
        "*.password",
        "headers.cookie",
        "*.headers.cookie",
      ],
      censor: "[redacted]",
    },
  },
);
