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

export function aggregateCandidate(criteria: ScoredCriterion[], evaluations: PanelEvaluation[]): CandidateAggregate {
  const rawMeans: (number | null)[] = [];
  const perCriterion = criteria.map((c): CriterionAggregate => {
    const levels = evaluations.map((e) => e.ratings[c.id]).filter((l): l is Level => l === 1 || l === 2 || l === 3 || l === 4);
    if (levels.length === 0) {
      rawMeans.push(null);
      return { criterionId: c.id, count: 0, mean: null, min: null, max: null, spread: null, disagreement: false, mustHaveFailed: false };
    }
    const mean = levels.reduce((a, b) => a + b, 0) / levels.length;
    rawMeans.push(mean);
    const min = Math.min(...levels);
    const max = Math.max(...levels);
    return {
      criterionId: c.id,
      count: levels.length,
      mean: round2(mean),
      min,
      max,
      spread: max - min,
      disagreement: max - min >= 2,
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

  const recommendations: Record<Recommendation, number> = { strong_no: 0, no: 0, yes: 0, strong_yes: 0 };
  for (const e of evaluations) if (e.recommendation) recommendations[e.recommendation]++;

  return {
    evaluations: evaluations.length,
    weightedScore: weightSum > 0 ? round2(total / weightSum) : null,
    criteria: perCriterion,
    mustHaveFailures: perCriterion.filter((a) => a.mustHaveFailed).map((a) => a.criterionId),
    disagreement: perCriterion.some((a) => a.disagreement),
    recommendations,
  };
}

export type RankedCandidate<T> = T & { rank: number | null; aggregate: CandidateAggregate };

/**
 * Orders candidates: those without a must-have failure first, then by weighted score (higher
 * first). Equal standing shares a rank (1, 2, 2, 4). Candidates nobody has scored come last,
 * unranked (rank null). The input order breaks ties for display only.
 */
export function rankCandidates<T>(items: (T & { aggregate: CandidateAggregate })[]): RankedCandidate<T>[] {
  const scored = items.filter((i) => i.aggregate.weightedScore !== null);
  const unscored = items.filter((i) => i.aggregate.weightedScore === null);
  const key = (i: { aggregate: CandidateAggregate }) => [i.aggregate.mustHaveFailures.length > 0 ? 1 : 0, -(i.aggregate.weightedScore as number)] as const;
  const sorted = scored
    .map((item, index) => ({ item, index }))
    .sort((a, b) => {
      const ka = key(a.item);
      const kb = key(b.item);
      return ka[0] - kb[0] || ka[1] - kb[1] || a.index - b.index;
    })
    .map((x) => x.item);
  const ranked: RankedCandidate<T>[] = [];
  sorted.forEach((item, i) => {
    const prev = sorted[i - 1];
    const same = prev && key(prev)[0] === key(item)[0] && key(prev)[1] === key(item)[1];
    ranked.push({ ...item, rank: same ? (ranked[i - 1].rank as number) : i + 1 });
  });
  return [...ranked, ...unscored.map((item) => ({ ...item, rank: null }))];
}
