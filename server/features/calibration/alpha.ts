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
  let units = 0;
  let pairable = 0;
  c.patterns.forEach((pattern, p) => {
    const w = weights[p];
    if (!w) return;
    units += w;
    pairable += w * pattern.reduce((sum, x) => sum + x, 0);
  });
  return { alpha: weightedAlpha(c, metric)(weights), pairable, units };
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
 * Standard normal deviates, computed once (Box-Muller from a fixed seed, both of each pair):
 * a draw is then one uniform number and a lookup, a fraction of the cost of computing one. The
 * table fits in the processor's first-level cache; its 4,096 levels are far finer than the
 * integer counts they are turned into.
 */
const NORMALS = (() => {
  const random = seededRandom(0x5eed);
  const table = new Float64Array(1 << 12);
  for (let i = 0; i < table.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const theta = 2 * Math.PI * random();
    table[i] = r * Math.cos(theta);
    table[i + 1] = r * Math.sin(theta);
  }
  return table;
})();

/**
 * Alpha again and again for new weights of the same patterns (the bootstrap's inner loop). The
 * coincidence matrix is symmetric and its row sums are the values' frequencies, which are the
 * patterns' counts weighted: a pattern adds its k counts and its k(k-1)/2 cells above the
 * diagonal, flattened once; the buffers are reused and nothing is allocated per call.
 */
function weightedAlpha(c: Pick<Coincidences, 'values' | 'patterns'>, metric: Metric): (weights: ArrayLike<number>) => number | undefined {
  const k = c.values.length;
  const pairs: [number, number][] = [];
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) pairs.push([a, b]);
  const stride = k + pairs.length;
  const flat = new Float64Array(c.patterns.length * stride);
  c.patterns.forEach((pattern, p) => {
    const size = pattern.reduce((sum, x) => sum + x, 0);
    for (let a = 0; a < k; a++) flat[p * stride + a] = pattern[a];
    pairs.forEach(([a, b], i) => (flat[p * stride + k + i] = (pattern[a] * pattern[b]) / (size - 1)));
  });
  const acc = new Float64Array(stride);
  const cumulative = new Float64Array(k + 1);
  const fixed = pairs.map(([a, b]) => (metric === 'nominal' ? 1 : (c.values[a] - c.values[b]) ** 2));
  const patterns = c.patterns.length;
  // The rating scale here has four levels: its ten sums are kept in locals (registers).
  const sumFour = (weights: ArrayLike<number>) => {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0; // prettier-ignore
    for (let p = 0, base = 0; p < patterns; p++, base += 10) {
      const w = weights[p];
      if (!w) continue;
      a0 += w * flat[base]; a1 += w * flat[base + 1]; a2 += w * flat[base + 2]; a3 += w * flat[base + 3]; a4 += w * flat[base + 4]; // prettier-ignore
      a5 += w * flat[base + 5]; a6 += w * flat[base + 6]; a7 += w * flat[base + 7]; a8 += w * flat[base + 8]; a9 += w * flat[base + 9]; // prettier-ignore
    }
    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3; acc[4] = a4; acc[5] = a5; acc[6] = a6; acc[7] = a7; acc[8] = a8; acc[9] = a9; // prettier-ignore
  };
  return (weights) => {
    if (stride === 10) sumFour(weights);
    else {
      acc.fill(0);
      for (let p = 0; p < patterns; p++) {
        const w = weights[p];
        if (!w) continue;
        const base = p * stride;
        for (let i = 0; i < stride; i++) acc[i] += w * flat[base + i];
      }
    }
    // acc[0..k): n_c, the pairable values of each value; acc[k..): o_ck above the diagonal.
    let total = 0;
    for (let a = 0; a < k; a++) {
      total += acc[a];
      cumulative[a + 1] = cumulative[a] + acc[a];
    }
    if (total < 2) return undefined;
    let observed = 0;
    let expected = 0;
    // δ²: nominal 1, interval the squared difference; ordinal the ranks between the two values,
    // each value's frequency counted once, the ends' halves.
    for (let i = 0; i < pairs.length; i++) {
      const a = pairs[i][0];
      const b = pairs[i][1];
      const d = metric === 'ordinal' ? (cumulative[b + 1] - cumulative[a] - (acc[a] + acc[b]) / 2) ** 2 : fixed[i];
      observed += acc[k + i] * d;
      expected += acc[a] * acc[b] * d;
    }
    if (expected === 0) return undefined;
    return 1 - ((total - 1) * observed) / expected;
  };
}

/** Units from which the bootstrap draws each pattern's count on its own (Poisson) rather than unit by unit. */
export const POISSON_FROM = 200;

/**
 * Poisson(count) draws for every pattern, prepared once: a pattern with a large count takes the
 * normal approximation (mean, standard deviation), a small one the inversion of its cumulative
 * probabilities, all in flat arrays so that the inner loop calls nothing.
 */
function poissonTables(counts: readonly number[]) {
  const sd = new Float64Array(counts.length);
  const start = new Int32Array(counts.length);
  const end = new Int32Array(counts.length);
  const mode = new Int32Array(counts.length);
  const cdf: number[] = [];
  counts.forEach((mean, p) => {
    if (mean > 30) {
      sd[p] = Math.sqrt(mean);
      return;
    }
    start[p] = cdf.length;
    mode[p] = cdf.length + Math.floor(mean);
    let prob = Math.exp(-mean);
    let cumulative = prob;
    for (let k = 0; cumulative < 1 - 1e-12 && k < 200; k++) {
      cdf.push(cumulative);
      prob *= mean / (k + 1);
      cumulative += prob;
    }
    end[p] = cdf.length;
  });
  return { sd, start, end, mode, cdf: Float64Array.from(cdf) };
}

/**
 * A 95 % percentile bootstrap interval: units drawn again with replacement `samples` times,
 * alpha computed for each draw. Below POISSON_FROM units, each sample draws its n units one by
 * one (the textbook bootstrap). From there on, each pattern's count is drawn on its own as
 * Poisson(its count): the Poisson bootstrap, which gives the multinomial one's intervals on
 * large data at the cost of the number of patterns (a few dozen) instead of units (thousands).
 */
export function bootstrapAlpha(c: Coincidences, metric: Metric, opts: { samples?: number; seed?: number; level?: number } = {}): { low: number; high: number } | undefined {
  const samples = opts.samples ?? 1000;
  const level = opts.level ?? 0.95;
  const total = c.counts.reduce((s, x) => s + x, 0);
  if (total < 2) return undefined;
  const random = seededRandom(opts.seed ?? 1);
  const weights = new Float64Array(c.patterns.length);
  const alphaOf = weightedAlpha(c, metric);
  const alphas: number[] = [];
  if (total >= POISSON_FROM) {
    const { sd, start, end, mode, cdf } = poissonTables(c.counts);
    const counts = Float64Array.from(c.counts);
    const size = NORMALS.length;
    let state = (opts.seed ?? 1) >>> 0;
    for (let s = 0; s < samples; s++) {
      for (let p = 0; p < counts.length; p++) {
        // seededRandom's generator (mulberry32), inlined in the hottest loop.
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        if (sd[p] > 0) {
          const w = counts[p] + sd[p] * NORMALS[(u * size) | 0] + 0.5;
          weights[p] = w > 1 ? Math.floor(w) : 0;
        } else {
          // Inversion from the mode: about √mean steps instead of mean.
          let k = mode[p];
          if (u > cdf[k]) {
            const last = end[p] - 1;
            while (k < last && u > cdf[k]) k++;
            if (u > cdf[k]) k++;
          } else {
            const first = start[p];
            while (k > first && u <= cdf[k - 1]) k--;
          }
          weights[p] = k - start[p];
        }
      }
      const alpha = alphaOf(weights);
      if (alpha !== undefined) alphas.push(alpha);
    }
  } else {
    const unitPattern = new Int32Array(total);
    let at = 0;
    c.counts.forEach((count, p) => unitPattern.fill(p, at, (at += count)));
    for (let s = 0; s < samples; s++) {
      weights.fill(0);
      for (let i = 0; i < total; i++) weights[unitPattern[(random() * total) | 0]]++;
      const alpha = alphaOf(weights);
      if (alpha !== undefined) alphas.push(alpha);
    }
  }
  if (alphas.length === 0) return undefined;
  alphas.sort((a, b) => a - b);
  const pick = (q: number) => alphas[Math.min(alphas.length - 1, Math.max(0, Math.round(q * (alphas.length - 1))))];
  return { low: pick((1 - level) / 2), high: pick(1 - (1 - level) / 2) };
}
