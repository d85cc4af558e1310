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

/** Each pattern's contribution to the coincidence matrix (k × k, row-major), computed once. */
const contributions = new WeakMap<Pick<Coincidences, 'values' | 'patterns'>, { o: Float64Array[]; m: Float64Array }>();

function contributionsOf(c: Pick<Coincidences, 'values' | 'patterns'>) {
  let cached = contributions.get(c);
  if (cached) return cached;
  const k = c.values.length;
  const o: Float64Array[] = [];
  const m = new Float64Array(c.patterns.length);
  c.patterns.forEach((pattern, p) => {
    const size = pattern.reduce((sum, x) => sum + x, 0);
    m[p] = size;
    const cell = new Float64Array(k * k);
    // Each unit adds its pairs of values from different raters, divided by m_u - 1.
    for (let a = 0; a < k; a++) {
      if (!pattern[a]) continue;
      for (let b = 0; b < k; b++) {
        if (!pattern[b]) continue;
        cell[a * k + b] = (a === b ? pattern[a] * (pattern[a] - 1) : pattern[a] * pattern[b]) / (size - 1);
      }
    }
    o.push(cell);
  });
  cached = { o, m };
  contributions.set(c, cached);
  return cached;
}

/** Alpha from patterns weighted by how many units have each (the bootstrap reweights them). */
export function alphaOfPatterns(c: Pick<Coincidences, 'values' | 'patterns'>, weights: ArrayLike<number>, metric: Metric): AlphaResult {
  const k = c.values.length;
  const { o: cells, m } = contributionsOf(c);
  const o = new Float64Array(k * k);
  let units = 0;
  let pairable = 0;
  for (let p = 0; p < cells.length; p++) {
    const w = weights[p];
    if (!w) continue;
    units += w;
    pairable += w * m[p];
    const cell = cells[p];
    for (let i = 0; i < o.length; i++) o[i] += w * cell[i];
  }
  if (pairable < 2) return { alpha: undefined, pairable, units };
  const n = new Float64Array(k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) n[a] += o[a * k + b];
  let total = 0;
  for (const x of n) total += x;
  const delta = distance(c.values, n, metric);
  let observed = 0;
  let expected = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      if (a === b) continue;
      const d = delta(a, b);
      observed += o[a * k + b] * d;
      expected += n[a] * n[b] * d;
    }
  }
  if (expected === 0) return { alpha: undefined, pairable, units };
  return { alpha: 1 - ((total - 1) * observed) / expected, pairable, units };
}

/** The squared difference function δ² of each metric, on the indexes of the sorted values. */
function distance(values: number[], n: ArrayLike<number>, metric: Metric): (a: number, b: number) => number {
  if (metric === 'nominal') return (a, b) => (a === b ? 0 : 1);
  if (metric === 'interval') return (a, b) => (values[a] - values[b]) ** 2;
  // Ordinal: the ranks between the two values, each value's frequency counted once, the ends' halves.
  const cumulative = [0];
  for (let i = 0; i < n.length; i++) cumulative.push(cumulative[i] + n[i]);
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

/** A standard normal deviate (Box-Muller) from the seeded generator. */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A binomial(n, p) draw: by inversion when the mean is small, else the normal approximation
 * (rounded, clamped), which is what a bootstrap needs and costs O(1) whatever n.
 */
function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  // The rarer outcome is drawn: the walk below stays short and q ** n does not underflow.
  if (p > 0.5) return n - binomial(n, 1 - p, random);
  const mean = n * p;
  const variance = mean * (1 - p);
  if (variance > 25) return Math.max(0, Math.min(n, Math.round(mean + Math.sqrt(variance) * normal(random))));
  // Inversion: walk the cumulative probabilities from 0 (expected steps about n·p).
  const q = 1 - p;
  let prob = q ** n;
  let cumulative = prob;
  const u = random();
  let k = 0;
  while (u > cumulative && k < n) {
    prob *= ((n - k) / (k + 1)) * (p / q);
    k++;
    cumulative += prob;
  }
  return k;
}

/**
 * A 95 % percentile bootstrap interval: units drawn again with replacement `samples` times,
 * alpha computed for each draw. Drawing n units among patterns is a multinomial draw, taken as
 * one binomial per pattern (conditional method), so a sample costs the number of patterns, not
 * of units: a region's thousands of units stay cheap.
 */
export function bootstrapAlpha(c: Coincidences, metric: Metric, opts: { samples?: number; seed?: number; level?: number } = {}): { low: number; high: number } | undefined {
  const samples = opts.samples ?? 1000;
  const level = opts.level ?? 0.95;
  const total = c.counts.reduce((s, x) => s + x, 0);
  if (total < 2) return undefined;
  const random = seededRandom(opts.seed ?? 1);
  const weights = new Float64Array(c.patterns.length);
  const alphas: number[] = [];
  for (let s = 0; s < samples; s++) {
    let left = total;
    let mass = total;
    for (let p = 0; p < c.counts.length; p++) {
      const drawn = p === c.counts.length - 1 ? left : binomial(left, c.counts[p] / mass, random);
      weights[p] = drawn;
      left -= drawn;
      mass -= c.counts[p];
    }
    const { alpha } = alphaOfPatterns(c, weights, metric);
    if (alpha !== undefined) alphas.push(alpha);
  }
  if (alphas.length === 0) return undefined;
  alphas.sort((a, b) => a - b);
  const pick = (q: number) => alphas[Math.min(alphas.length - 1, Math.max(0, Math.round(q * (alphas.length - 1))))];
  return { low: pick((1 - level) / 2), high: pick(1 - (1 - level) / 2) };
}
