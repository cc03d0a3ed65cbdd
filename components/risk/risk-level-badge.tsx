import { levelLabel, levelTone } from "./risk-format";

const levelHints: Record<string, string> = {
  low: "Low supply risk",
  medium: "Medium supply risk: watch lead times",
  high: "High supply risk: consider a second source",
  critical: "Critical supply risk: talk to the category manager before ordering",
};

/** A supplier's risk level, coloured and in words (colour alone would not do for everyone). */
export function RiskLevelBadge({ level }: { level: string | null }) {
  return (
    <span
      className={`risk risk-${levelTone(level)}`}
      data-level={level ?? "none"}
      title={level ? (levelHints[level] ?? levelLabel(level)) : "No risk assessment yet"}
    >
      {levelLabel(level)}
    </span>
  );
}

/** A score out of 100 as a number and a short bar in the level's colour. */
export function RiskScore({ score, level }: { score: number | null; level: string | null }) {
  if (score === null) return <span className="muted">—</span>;
  const width = Math.max(0, Math.min(100, score));
  return (
    <span className="risk-score">
      <span className="risk-score-value">{Math.round(score)}</span>
      <span className="risk-score-track" aria-hidden="true">
        <span className={`risk-score-fill risk-fill-${levelTone(level)}`} style={{ width: `${width}%` }} />
      </span>
    </span>
  );
}

/** Decoration only: the element it sits in says what is happening (aria-busy, its label). */
export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
