/**
 * How each panelist rates compared with the others on the same candidates and criteria:
 * leniency (mean of their rating minus the mean of the others' ratings of the same unit) and
 * spread (standard deviation of their own ratings: how much of the scale they use). Pure.
 */

export type Rating = { rater: number; unit: string; value: number };

export type RaterStats = {
  rater: number;
  /** Ratings that have at least one other panelist's rating of the same unit. */
  compared: number;
  /** Mean deviation from the others (positive: more generous), undefined without comparisons. */
  leniency: number | undefined;
  /** Standard deviation of the rater's own ratings, undefined below two ratings. */
  spread: number | undefined;
};

function sd(values: number[]): number | undefined {
  if (values.length < 2) return undefined;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

export function raterStats(ratings: readonly Rating[]): RaterStats[] {
  const byUnit = new Map<string, { sum: number; count: number }>();
  for (const r of ratings) {
    const u = byUnit.get(r.unit) ?? { sum: 0, count: 0 };
    u.sum += r.value;
    u.count++;
    byUnit.set(r.unit, u);
  }
  const byRater = new Map<number, { own: number[]; deviations: number[] }>();
  for (const r of ratings) {
    const acc = byRater.get(r.rater) ?? { own: [], deviations: [] };
    acc.own.push(r.value);
    const u = byUnit.get(r.unit)!;
    if (u.count > 1) acc.deviations.push(r.value - (u.sum - r.value) / (u.count - 1));
    byRater.set(r.rater, acc);
  }
  return [...byRater].map(([rater, acc]) => ({
    rater,
    compared: acc.deviations.length,
    leniency: acc.deviations.length ? acc.deviations.reduce((s, v) => s + v, 0) / acc.deviations.length : undefined,
    spread: sd(acc.own),
  }));
}

/** The spread of a whole set of ratings, to set a panelist's own against. */
export function overallSpread(ratings: readonly Rating[]): number | undefined {
  return sd(ratings.map((r) => r.value));
}

/** The middle value (undefined for none). */
export function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
