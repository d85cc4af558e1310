/**
 * Each posting's aggregation inputs, cached in process memory and keyed by the posting's
 * revision stamp (migration 011: triggers bump it on every change the aggregation reads, from
 * any process). A request reads the revision (one indexed SELECT) and reuses the value while it
 * is unchanged; only the viewer's part (independence rule, own drafts, ranking, the page's
 * names) runs per request, in service.ts.
 *
 * The value never depends on the viewer and holds no candidate's name or contact: ids and
 * numbers only, so an erasure or an anonymisation shows on the next request whatever the cache
 * holds (names are read fresh for the rows shown).
 */
import type { DB } from '../../core/db.js';
import { aggregateFromStats, type CandidateAggregate, type CriterionStats, type Recommendation, type ScoredCriterion } from './aggregate.js';
import * as q from './queries.js';

export type CachedApplication = {
  application_id: number;
  /** the panel's aggregate over every current submitted evaluation (shown only to those allowed) */
  aggregate: CandidateAggregate;
  /** user ids of the panelists with a current submitted evaluation */
  submitters: ReadonlySet<number>;
  /** current submitted evaluations (a panelist whose account was deleted still counts) */
  submittedCount: number;
};

export type Criterion = q.CriterionRow & { questionList: string[]; levels: [string, string, string, string] };

export const toCriterion = (c: q.CriterionRow): Criterion => ({
  ...c,
  questionList: JSON.parse(c.questions) as string[],
  levels: [c.level_1, c.level_2, c.level_3, c.level_4],
});

export type PostingInputs = {
  postingId: number;
  revision: number;
  scorecardId: number;
  startPosition: number;
  criteria: Criterion[];
  scored: readonly ScoredCriterion[];
  /** the evaluated applications, in the board's order (stage position, then number) */
  applications: readonly CachedApplication[];
};

/** Postings kept per database; the least recently used goes first. */
export const CACHE_LIMIT = 300;

// One cache per database handle: tests open many databases in one process, with the same ids.
const caches = new WeakMap<DB, Map<number, PostingInputs>>();

function cacheOf(db: DB) {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  return cache;
}

const noRecommendations = (): Record<Recommendation, number> => ({ strong_no: 0, no: 0, yes: 0, strong_yes: 0 });

function build(db: DB, postingId: number, scorecardId: number, startPosition: number, revision: number): PostingInputs {
  const criteria = q.criteriaOf(db, scorecardId).map(toCriterion);
  const scored = criteria.map((c): ScoredCriterion => ({ id: c.id, weight: c.weight, mustHave: c.must_have === 1, minLevel: c.min_level }));

  const evaluations = new Map<number, { submitters: Set<number>; count: number; recommendations: Record<Recommendation, number> }>();
  for (const e of q.currentEvaluationsOfPosting(db, postingId)) {
    let entry = evaluations.get(e.application_id);
    if (!entry) {
      entry = { submitters: new Set(), count: 0, recommendations: noRecommendations() };
      evaluations.set(e.application_id, entry);
    }
    entry.count++;
    if (e.panelist_user_id !== null) entry.submitters.add(e.panelist_user_id);
    if (e.recommendation) entry.recommendations[e.recommendation]++;
  }

  const stats = new Map<number, Map<number, CriterionStats>>();
  for (const r of q.criterionStatsOfPosting(db, postingId)) {
    let perCriterion = stats.get(r.application_id);
    if (!perCriterion) {
      perCriterion = new Map();
      stats.set(r.application_id, perCriterion);
    }
    perCriterion.set(r.criterion_id, { count: r.n, sum: r.total, min: r.lo, max: r.hi });
  }

  const none = new Map<number, CriterionStats>();
  const applications = q.evaluatedApplicationIds(db, postingId, startPosition).map((id): CachedApplication => {
    const e = evaluations.get(id);
    return {
      application_id: id,
      aggregate: aggregateFromStats(scored, stats.get(id) ?? none, e?.count ?? 0, e?.recommendations ?? noRecommendations()),
      submitters: e?.submitters ?? new Set(),
      submittedCount: e?.count ?? 0,
    };
  });
  return { postingId, revision, scorecardId, startPosition, criteria, scored, applications };
}

/**
 * The posting's aggregation inputs for its scorecard and the panel's first stage: from the
 * cache while the posting's revision is unchanged, else rebuilt (a few SQL aggregations).
 *
 * A value built inside a caller's transaction is not kept: the transaction may still roll
 * back, and its revision number would then be reused by another change.
 */
export function postingInputs(db: DB, postingId: number, scorecardId: number, startPosition: number): PostingInputs {
  const cache = cacheOf(db);
  const revision = q.postingRevision(db, postingId);
  const hit = cache.get(postingId);
  if (hit && hit.revision === revision && hit.scorecardId === scorecardId && hit.startPosition === startPosition) {
    cache.delete(postingId);
    cache.set(postingId, hit);
    return hit;
  }
  if (db.inTransaction) return build(db, postingId, scorecardId, startPosition, revision);
  // One read transaction: the revision and what it stamps come from the same snapshot, even
  // while another process writes.
  const value = db.transaction(() => build(db, postingId, scorecardId, startPosition, q.postingRevision(db, postingId)))();
  cache.delete(postingId);
  cache.set(postingId, value);
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as number);
  return value;
}

/** How many postings are cached for a database (tests). */
export const cachedPostings = (db: DB) => caches.get(db)?.size ?? 0;
