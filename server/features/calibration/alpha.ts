/**
 * Krippendorff's alpha (K. Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011):
 * agreement among any number of raters with missing ratings, for nominal, ordinal and interval
 * values, and a bootstrap interval over units. Pure: no database, no clock.
 *
 * A unit is one thing rated (here: one candidate on one criterion); its values are the ratings
 * it received, one per rater, missing ones left out. Only units with two values or more are
 * pairable and count.
 */

export type Metric = 'nominal' | 'ordinal' | 'interval';

export type AlphaResult = {
  /** Undefined when there is no disagreement to expect (a single value used throughout) or no pairable unit. */
  alpha: number | undefined;
  /** Pairable values (n in the paper): the ratings in units that have at least two. */
  pairable: number;
  /** Units with at least two ratings. */
  units: number;
};

/**
 * The units reduced to what alpha needs: the sorted distinct values, and per pattern of a unit
 * (the count of each value in it) how many units share it. Panels are small and the scale
 * short, so a region's thousands of units fall into a few dozen patterns.
 */
export type Coincidences = { values: number[]; patterns: number[][]; counts: number[] };

export function coincidencesOf(units: readonly (readonly (number | null | undefined)[])[]): Coincidences {
  const present = units.map((u) => u.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))).filter((u) => u.length >= 2);
  const values = [...new Set(present.flat())].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const byKey = new Map<string, number>();
  const patterns: number[][] = [];
  const counts: number[] = [];
  for (const u of present) {
    const pattern = new Array<number>(values.length).fill(0);
    for (const v of u) pattern[index.get(v)!]++;
    const key = pattern.join(',');
    let at = byKey.get(key);
    if (at === undefined) {
      at = patterns.length;
      byKey.set(key, at);
      patterns.push(pattern);
      counts.push(0);
    }
    counts[at]++;
  }
  return { values, patterns, counts };
}

/** Alpha from patterns weighted by how many units have each (the bootstrap reweights them). */
export function alphaOfPatterns(c: Pick<Coincidences, 'values' | 'patterns'>, weights: ArrayLike<number>, metric: Metric): AlphaResult {
  const k = c.values.length;
  // Coincidence matrix: each unit adds its pairs of values from different raters, divided by m_u - 1.
  const o = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let units = 0;
  let pairable = 0;
  for (let p = 0; p < c.patterns.length; p++) {
    const w = weights[p];
    if (!w) continue;
    const pattern = c.patterns[p];
    let m = 0;
    for (const x of pattern) m += x;
    units += w;
    pairable += w * m;
    for (let a = 0; a < k; a++) {
      if (!pattern[a]) continue;
      for (let b = 0; b < k; b++) {
        if (!pattern[b]) continue;
        const pairs = a === b ? pattern[a] * (pattern[a] - 1) : pattern[a] * pattern[b];
        o[a][b] += (w * pairs) / (m - 1);
      }
    }
  }
  if (pairable < 2) return { alpha: undefined, pairable, units };
  const n = o.map((row) => row.reduce((s, x) => s + x, 0));
  const total = n.reduce((s, x) => s + x, 0);
  const delta = distance(c.values, n, metric);
  let observed = 0;
  let expected = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      observed += o[a][b] * delta(a, b);
      expected += n[a] * n[b] * delta(a, b);
    }
  }
  if (expected === 0) return { alpha: undefined, pairable, units };
  return { alpha: 1 - ((total - 1) * observed) / expected, pairable, units };
}

/** The squared difference function δ² of each metric, on the indexes of the sorted values. */
function distance(values: number[], n: number[], metric: Metric): (a: number, b: number) => number {
  if (metric === 'nominal') return (a, b) => (a === b ? 0 : 1);
  if (metric === 'interval') return (a, b) => (values[a] - values[b]) ** 2;
  // Ordinal: the ranks between the two values, each value's frequency counted once, the ends' halves.
  const cumulative = [0];
  for (const x of n) cumulative.push(cumulative[cumulative.length - 1] + x);
  return (a, b) => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    return (cumulative[hi + 1] - cumulative[lo] - (n[lo] + n[hi]) / 2) ** 2;
  };
}

export function krippendorffAlpha(units: readonly (readonly (number | null | undefined)[])[], metric: Metric): AlphaResult {
  const c = coincidencesOf(units);
  return alphaOfPatterns(c, c.counts, metric);
}

/** A small, seeded generator (mulberry32): the same data give the same interval every time. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 95 % percentile bootstrap interval: units drawn again with replacement `samples` times
 * (each draw picks a unit, hence its pattern), alpha computed for each draw.
 */
export function bootstrapAlpha(c: Coincidences, metric: Metric, opts: { samples?: number; seed?: number; level?: number } = {}): { low: number; high: number } | undefined {
  const samples = opts.samples ?? 1000;
  const level = opts.level ?? 0.95;
  const total = c.counts.reduce((s, x) => s + x, 0);
  if (total < 2) return undefined;
  // Unit i of the data has pattern unitPattern[i]: drawing a unit is drawing an index.
  const unitPattern = new Uint16Array(total);
  let at = 0;
  c.counts.forEach((count, p) => {
    unitPattern.fill(p, at, at + count);
    at += count;
  });
  const random = seededRandom(opts.seed ?? 1);
  const weights = new Float64Array(c.patterns.length);
  const alphas: number[] = [];
  for (let s = 0; s < samples; s++) {
    weights.fill(0);
    for (let i = 0; i < total; i++) weights[unitPattern[Math.floor(random() * total)]]++;
    const { alpha } = alphaOfPatterns(c, weights, metric);
    if (alpha !== undefined) alphas.push(alpha);
  }
  if (alphas.length === 0) return undefined;
  alphas.sort((a, b) => a - b);
  const pick = (q: number) => alphas[Math.min(alphas.length - 1, Math.max(0, Math.round(q * (alphas.length - 1))))];
  return { low: pick((1 - level) / 2), high: pick(1 - (1 - level) / 2) };
}
