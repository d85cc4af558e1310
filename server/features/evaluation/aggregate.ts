/**
 * Panel aggregation: pure functions, no database. A panelist's submitted evaluation rates
 * each criterion 1-4 or leaves it "not assessed" (null). Only submitted evaluations count.
 */

export type Level = 1 | 2 | 3 | 4;
export type Recommendation = 'strong_no' | 'no' | 'yes' | 'strong_yes';

export type ScoredCriterion = { id: number; weight: number; mustHave: boolean; minLevel: number | null };
export type PanelEvaluation = {
  panelistId: number;
  recommendation: Recommendation | null;
  /** criterion id -> level, or null when the panelist did not assess it */
  ratings: Record<number, Level | null>;
};

export type CriterionAggregate = {
  criterionId: number;
  /** number of panelists who assessed it */
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  /** max - min */
  spread: number | null;
  /** panelists differ by 2 levels or more */
  disagreement: boolean;
  /** must-have criterion whose mean is below its minimum level */
  mustHaveFailed: boolean;
};

export type CandidateAggregate = {
  evaluations: number;
  /** weighted mean of the criterion means, on the 1-4 scale; null when nothing was assessed */
  weightedScore: number | null;
  criteria: CriterionAggregate[];
  mustHaveFailures: number[];
  disagreement: boolean;
  recommendations: Record<Recommendation, number>;
};

const round2 = (n: number) => Math.round(n * 100) / 100;

/** What the panel's current evaluations say about one criterion of one candidate. */
export type CriterionStats = { count: number; sum: number; min: number; max: number };

export function aggregateCandidate(criteria: ScoredCriterion[], evaluations: PanelEvaluation[]): CandidateAggregate {
  const stats = new Map<number, CriterionStats>();
  for (const c of criteria) {
    const levels = evaluations.map((e) => e.ratings[c.id]).filter((l): l is Level => l === 1 || l === 2 || l === 3 || l === 4);
    if (levels.length > 0) stats.set(c.id, { count: levels.length, sum: levels.reduce((a, b) => a + b, 0), min: Math.min(...levels), max: Math.max(...levels) });
  }
  const recommendations: Record<Recommendation, number> = { strong_no: 0, no: 0, yes: 0, strong_yes: 0 };
  for (const e of evaluations) if (e.recommendation) recommendations[e.recommendation]++;
  return aggregateFromStats(criteria, stats, evaluations.length, recommendations);
}

/**
 * The same aggregate from per-criterion counts, sums, minima and maxima of the levels given
 * (as SQL's GROUP BY computes them without reading every rating into memory).
 */
export function aggregateFromStats(criteria: ScoredCriterion[], stats: Map<number, CriterionStats>, evaluations: number, recommendations: Record<Recommendation, number>): CandidateAggregate {
  const rawMeans: (number | null)[] = [];
  const perCriterion = criteria.map((c): CriterionAggregate => {
    const s = stats.get(c.id);
    if (!s || s.count === 0) {
      rawMeans.push(null);
      return { criterionId: c.id, count: 0, mean: null, min: null, max: null, spread: null, disagreement: false, mustHaveFailed: false };
    }
    const mean = s.sum / s.count;
    rawMeans.push(mean);
    return {
      criterionId: c.id,
      count: s.count,
      mean: round2(mean),
      min: s.min,
      max: s.max,
      spread: s.max - s.min,
      disagreement: s.max - s.min >= 2,
      mustHaveFailed: c.mustHave && c.minLevel !== null && mean < c.minLevel,
    };
  });

  // Criteria nobody assessed (or weighted 0) do not pull the score down: they are left out.
  let weightSum = 0;
  let total = 0;
  rawMeans.forEach((mean, i) => {
    const weight = criteria[i].weight;
    if (mean === null || weight <= 0) return;
    weightSum += weight;
    total += weight * mean;
  });

  return {
    evaluations,
    weightedScore: weightSum > 0 ? round2(total / weightSum) : null,
    criteria: perCriterion,
    mustHaveFailures: perCriterion.filter((a) => a.mustHaveFailed).map((a) => a.criterionId),
    disagreement: perCriterion.some((a) => a.disagreement),
    recommendations: { ...recommendations },
  };
}

export type RankedCandidate<T> = T & { rank: number | null; aggregate: CandidateAggregate };

/**
 * Orders candidates: those without a must-have failure first, then by weighted score (higher
 * first). Equal standing shares a rank (1, 2, 2, 4). Candidates nobody has scored come last,
 * unranked (rank null). The input order breaks ties for display only.
 */
export function rankCandidates<T>(items: (T & { aggregate: CandidateAggregate })[]): RankedCandidate<T>[] {
  // Keys computed once per item (a page of 500 candidates is ranked on each request).
  const scored: { item: T & { aggregate: CandidateAggregate }; index: number; failed: number; score: number }[] = [];
  const unscored: (T & { aggregate: CandidateAggregate })[] = [];
  items.forEach((item, index) => {
    const score = item.aggregate.weightedScore;
    if (score === null) unscored.push(item);
    else scored.push({ item, index, failed: item.aggregate.mustHaveFailures.length > 0 ? 1 : 0, score });
  });
  scored.sort((a, b) => a.failed - b.failed || b.score - a.score || a.index - b.index);
  const ranked: RankedCandidate<T>[] = [];
  scored.forEach((s, i) => {
    const prev = scored[i - 1];
    const same = prev !== undefined && prev.failed === s.failed && prev.score === s.score;
    ranked.push({ ...s.item, rank: same ? (ranked[i - 1].rank as number) : i + 1 });
  });
  for (const item of unscored) ranked.push({ ...item, rank: null });
  return ranked;
}
