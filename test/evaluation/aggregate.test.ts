import { expect } from 'chai';
import fc from 'fast-check';
import { aggregateCandidate, aggregateFromStats, rankCandidates, type CriterionStats, type PanelEvaluation, type Recommendation, type ScoredCriterion } from '../../server/features/evaluation/aggregate.js';

const criteria: ScoredCriterion[] = [
  { id: 1, weight: 3, mustHave: true, minLevel: 3 }, // e.g. prise d'initiative
  { id: 2, weight: 2, mustHave: false, minLevel: null }, // diplomatie
  { id: 3, weight: 1, mustHave: false, minLevel: null }, // curiosité
];

const ev = (panelistId: number, ratings: PanelEvaluation['ratings'], recommendation: PanelEvaluation['recommendation'] = 'yes'): PanelEvaluation => ({
  panelistId,
  recommendation,
  ratings,
});

describe('evaluation: aggregation of panel ratings', () => {
  it('when three panelists rate then the weighted score is the weight-averaged criterion means', () => {
    const agg = aggregateCandidate(criteria, [ev(1, { 1: 4, 2: 3, 3: 2 }), ev(2, { 1: 3, 2: 3, 3: 3 }), ev(3, { 1: 4, 2: 2, 3: 4 })]);
    // means: c1 = 11/3, c2 = 8/3, c3 = 3 -> (3*11/3 + 2*8/3 + 1*3) / 6 = (11 + 16/3 + 3) / 6
    expect(agg.weightedScore).to.equal(Math.round(((11 + 16 / 3 + 3) / 6) * 100) / 100);
    expect(agg.criteria.map((c) => c.mean)).to.deep.equal([3.67, 2.67, 3]);
    expect(agg.criteria.map((c) => c.spread)).to.deep.equal([1, 1, 2]);
    expect(agg.evaluations).to.equal(3);
    expect(agg.recommendations).to.deep.equal({ strong_no: 0, no: 0, yes: 3, strong_yes: 0 });
  });

  it('when panelists differ by two levels or more on a criterion then it is flagged as a disagreement', () => {
    const agg = aggregateCandidate(criteria, [ev(1, { 1: 4, 2: 1, 3: 2 }), ev(2, { 1: 4, 2: 3, 3: 2 })]);
    expect(agg.criteria[1].disagreement).to.equal(true);
    expect(agg.criteria[0].disagreement).to.equal(false);
    expect(agg.disagreement).to.equal(true);
  });

  it('when a must-have criterion averages below its minimum then it is a must-have failure', () => {
    const agg = aggregateCandidate(criteria, [ev(1, { 1: 2, 2: 4, 3: 4 }), ev(2, { 1: 3, 2: 4, 3: 4 })]);
    expect(agg.mustHaveFailures).to.deep.equal([1]);
    const ok = aggregateCandidate(criteria, [ev(1, { 1: 3, 2: 1, 3: 1 })]);
    expect(ok.mustHaveFailures).to.deep.equal([]);
  });

  it('when a criterion is "not assessed" by some then its mean uses the others, and by all then it is left out of the score', () => {
    const agg = aggregateCandidate(criteria, [ev(1, { 1: 4, 2: null, 3: null }), ev(2, { 1: 2, 2: 4, 3: null })]);
    expect(agg.criteria[0]).to.include({ count: 2, mean: 3 });
    expect(agg.criteria[1]).to.include({ count: 1, mean: 4 });
    expect(agg.criteria[2]).to.include({ count: 0, mean: null, spread: null, mustHaveFailed: false });
    // (3*3 + 2*4) / 5; criterion 3 (nobody assessed) is not counted as zero.
    expect(agg.weightedScore).to.equal(3.4);
  });

  it('when nobody has submitted then there is no score, no failure and no flag', () => {
    const agg = aggregateCandidate(criteria, []);
    expect(agg.weightedScore).to.equal(null);
    expect(agg.mustHaveFailures).to.deep.equal([]);
    expect(agg.disagreement).to.equal(false);
  });

  it('when a criterion added later has no rating yet then earlier scores keep their meaning', () => {
    const withNew = [...criteria, { id: 4, weight: 3, mustHave: true, minLevel: 3 }];
    const before = aggregateCandidate(criteria, [ev(1, { 1: 3, 2: 3, 3: 3 })]);
    const after = aggregateCandidate(withNew, [ev(1, { 1: 3, 2: 3, 3: 3 })]);
    expect(after.weightedScore).to.equal(before.weightedScore);
    expect(after.mustHaveFailures).to.deep.equal([]);
  });

  it('when weights change before the first rating then the score follows the new weights', () => {
    const reweighted = criteria.map((c) => (c.id === 3 ? { ...c, weight: 5 } : c));
    const a = aggregateCandidate(criteria, [ev(1, { 1: 2, 2: 2, 3: 4 })]);
    const b = aggregateCandidate(reweighted, [ev(1, { 1: 2, 2: 2, 3: 4 })]);
    expect(b.weightedScore).to.be.greaterThan(a.weightedScore as number);
  });

  it('when ranking then must-have failures come after, ties share a rank, and unscored candidates are unranked at the end', () => {
    const mk = (id: string, evals: PanelEvaluation[]) => ({ id, aggregate: aggregateCandidate(criteria, evals) });
    const ranked = rankCandidates([
      mk('failing-but-high', [ev(1, { 1: 2, 2: 4, 3: 4 })]),
      mk('b', [ev(1, { 1: 3, 2: 3, 3: 3 })]),
      mk('none', []),
      mk('a', [ev(1, { 1: 4, 2: 4, 3: 4 })]),
      mk('b-twin', [ev(1, { 1: 3, 2: 3, 3: 3 })]),
    ]);
    expect(ranked.map((r) => [r.id, r.rank])).to.deep.equal([
      ['a', 1],
      ['b', 2],
      ['b-twin', 2],
      ['failing-but-high', 4],
      ['none', null],
    ]);
  });

  it('when the aggregate is computed from per-criterion counts, sums, minima and maxima (as SQL groups them) then it equals the one computed from every rating', () => {
    const level = fc.constantFrom<1 | 2 | 3 | 4 | null>(1, 2, 3, 4, null);
    const recommendation = fc.constantFrom<Recommendation | null>('strong_no', 'no', 'yes', 'strong_yes', null);
    const criterion = fc.record({ weight: fc.integer({ min: 1, max: 3 }), mustHave: fc.boolean(), minLevel: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(criterion, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(recommendation, fc.array(level, { minLength: 6, maxLength: 6 })), { maxLength: 7 }), (specs, panel) => {
        const list: ScoredCriterion[] = specs.map((c, i) => ({ id: 10 + i, weight: c.weight, mustHave: c.mustHave, minLevel: c.mustHave ? c.minLevel : null }));
        const evaluations = panel.map(([rec, levels], p) => ev(p + 1, Object.fromEntries(list.map((c, i) => [c.id, levels[i]])), rec));
        const stats = new Map<number, CriterionStats>();
        const recs: Record<Recommendation, number> = { strong_no: 0, no: 0, yes: 0, strong_yes: 0 };
        for (const e of evaluations) {
          if (e.recommendation) recs[e.recommendation]++;
          for (const c of list) {
            const l = e.ratings[c.id];
            if (l === null || l === undefined) continue;
            const s = stats.get(c.id) ?? { count: 0, sum: 0, min: 5, max: 0 };
            stats.set(c.id, { count: s.count + 1, sum: s.sum + l, min: Math.min(s.min, l), max: Math.max(s.max, l) });
          }
        }
        expect(aggregateFromStats(list, stats, evaluations.length, recs)).to.deep.equal(aggregateCandidate(list, evaluations));
      }),
      { numRuns: 300 },
    );
  });
});
