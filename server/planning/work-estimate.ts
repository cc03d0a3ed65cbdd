// How long an order keeps a machine busy, for choosing the machine that
// finishes it first. Whole seconds per piece, so that loads add up exactly
// in any order: a plan must not depend on floating-point rounding.

/** Seconds per piece by operation; an operation not listed counts one minute a piece. */
export const secondsPerPiece: Readonly<Record<string, number>> = {
  press: 3,
  "laser-cut": 90,
  drill: 60,
  "cnc-mill": 360,
  "cnc-lathe": 240,
  grind: 300,
  weld: 1500,
  test: 900,
  assemble: 2400,
};

const defaultSecondsPerPiece = 60;

export function estimatedSeconds({ operation, quantity }: { operation: string; quantity: number }): number {
  return quantity * (secondsPerPiece[operation] ?? defaultSecondsPerPiece);
}
