// Durations as configured ("20s", "24h"): the format Temporal timers accept, and their length in ms.
export const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const durationMs = (value: string): number => {
  const m = DURATION.exec(value);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : Number.NaN;
};
