/**
 * A recruitment's share of its region's calibration figures, computed once per revision of its
 * evaluations and panel (migration 031) and kept in `calibration_postings`. Everything the
 * region's page shows adds up over recruitments: a candidate belongs to one recruitment, so
 * its units (candidate × criterion), its complete panel and each panelist's deviations from
 * the others are all inside one. The region's page then merges a few thousand small summaries
 * instead of reading its hundreds of thousands of ratings again.
 */
import type { DB } from '../../core/db.js';
import { alphaOfPatterns, bootstrapAlpha, type Coincidences } from './alpha.js';
import * as q from './queries.js';

/** The rating scale (evaluation_ratings.level is 1–4): a pattern counts each level in a unit. */
export const LEVELS = [1, 2, 3, 4] as const;
const BASE = 32;

/** A unit's pattern as one integer: the count of each level in base 32 (panels are far smaller). */
export function patternKey(counts: ArrayLike<number>): number {
  let key = 0;
  for (let i = LEVELS.length - 1; i >= 0; i--) key = key * BASE + counts[i];
  return key;
}

export function patternOf(key: number): number[] {
  const counts: number[] = [];
  for (let i = 0; i < LEVELS.length; i++) {
    counts.push(key % BASE);
    key = Math.floor(key / BASE);
  }
  return counts;
}

/** Patterns and how many units have each, as the alpha module takes them. */
export function coincidencesOfPatterns(byPattern: Map<number, number>): Coincidences {
  const keys = [...byPattern.keys()].sort((a, b) => a - b);
  return { values: [...LEVELS], patterns: keys.map(patternOf), counts: keys.map((k) => byPattern.get(k)!) };
}

/** Below this, a figure is "not enough data" rather than a noisy number. */
export const MIN_UNITS = 10;
export const MIN_PAIRABLE = 20;
/** Krippendorff's thresholds: 0.800 for conclusions, 0.667 for tentative ones. */
export const GOOD_ALPHA = 0.8;
export const TENTATIVE_ALPHA = 0.667;

export type Agreement =
  | { enough: false; units: number; pairable: number }
  | { enough: true; units: number; pairable: number; alpha: number; low: number; high: number; reading: 'good' | 'tentative' | 'low' };

export function agreementOf(c: Coincidences, seed: number, samples: number): Agreement {
  const { alpha, pairable, units } = alphaOfPatterns(c, c.counts, 'ordinal');
  if (units < MIN_UNITS || pairable < MIN_PAIRABLE || alpha === undefined) return { enough: false, units, pairable };
  const interval = bootstrapAlpha(c, 'ordinal', { samples, seed });
  return {
    enough: true,
    units,
    pairable,
    alpha,
    low: interval?.low ?? alpha,
    high: interval?.high ?? alpha,
    reading: alpha >= GOOD_ALPHA ? 'good' : alpha >= TENTATIVE_ALPHA ? 'tentative' : 'low',
  };
}

/** One panelist's sums on a recruitment: ratings, their sum and sum of squares, deviations. */
export type RaterSums = { rater: number; name: string; n: number; sum: number; sumSq: number; compared: number; deviation: number };

export type PostingSummary = {
  /** Candidates whose whole current panel submitted (the only ones counted). */
  candidates: number;
  /**
   * Per criterion: its key, its label, the scorecard criterion that carries its anchors here
   * (with when it was last edited: the region shows the most recent), and [pattern, units] pairs.
   */
  criteria: { key: string; label: string; id: number; updatedAt: string; patterns: [number, number][] }[];
  raters: RaterSums[];
  /** The recruitment's own agreement over all its criteria. */
  agreement: Agreement;
};

/** Bootstrap samples for each recruitment's own interval (the region's criteria take 1,000). */
export const POSTING_SAMPLES = 200;

/** A current submitted rating, as the summaries read them (queries.ts). */
export type Row = q.SummaryRatingRow;

function panelsOf(rows: [number, number][]): Map<number, Set<number>> {
  const panels = new Map<number, Set<number>>();
  for (const [posting, user] of rows) {
    let set = panels.get(posting);
    if (!set) panels.set(posting, (set = new Set()));
    set.add(user);
  }
  return panels;
}

/** One recruitment's summary from its current submitted ratings and its panel. Pure. */
export function summarise(postingId: number, rows: readonly Row[], panel: ReadonlySet<number> | undefined): PostingSummary {
  // Complete candidates: every current panel member has a current submitted evaluation.
  const raters = new Map<number, Set<number>>();
  for (const row of rows) {
    let set = raters.get(row[1]);
    if (!set) raters.set(row[1], (set = new Set()));
    set.add(row[2]);
  }
  const complete = new Set<number>();
  if (panel && panel.size > 0) {
    for (const [applicationId, set] of raters) {
      let all = true;
      for (const member of panel) if (!set.has(member)) (all = false);
      if (all) complete.add(applicationId);
    }
  }

  const criterionIndex = new Map<string, number>();
  const criteria: { key: string; label: string; id: number; updatedAt: string; byPattern: Map<number, number> }[] = [];
  // Units keyed by candidate and criterion: the level counts, and the ratings for deviations.
  type Unit = { criterion: number; counts: number[]; sum: number; ratings: { rater: number; value: number }[] };
  const units = new Map<number, Unit>();
  const sums = new Map<number, RaterSums>();
  for (const [, applicationId, rater, name, key, label, level, criterionId, updatedAt] of rows) {
    if (!complete.has(applicationId)) continue;
    let c = criterionIndex.get(key);
    if (c === undefined) {
      c = criteria.length;
      criterionIndex.set(key, c);
      criteria.push({ key, label, id: criterionId, updatedAt, byPattern: new Map() });
    } else if (updatedAt > criteria[c].updatedAt) Object.assign(criteria[c], { label, id: criterionId, updatedAt });
    const unitKey = applicationId * 1024 + c;
    let unit = units.get(unitKey);
    if (!unit) units.set(unitKey, (unit = { criterion: c, counts: [0, 0, 0, 0], sum: 0, ratings: [] }));
    unit.counts[level - 1]++;
    unit.sum += level;
    unit.ratings.push({ rater, value: level });
    let s = sums.get(rater);
    if (!s) sums.set(rater, (s = { rater, name, n: 0, sum: 0, sumSq: 0, compared: 0, deviation: 0 }));
    s.name = name;
    s.n++;
    s.sum += level;
    s.sumSq += level * level;
  }
  const all = new Map<number, number>();
  for (const unit of units.values()) {
    const count = unit.ratings.length;
    if (count < 2) continue;
    const key = patternKey(unit.counts);
    const byPattern = criteria[unit.criterion].byPattern;
    byPattern.set(key, (byPattern.get(key) ?? 0) + 1);
    all.set(key, (all.get(key) ?? 0) + 1);
    for (const r of unit.ratings) {
      const s = sums.get(r.rater)!;
      s.compared++;
      s.deviation += r.value - (unit.sum - r.value) / (count - 1);
    }
  }
  return {
    candidates: complete.size,
    criteria: criteria.map((c) => ({ key: c.key, label: c.label, id: c.id, updatedAt: c.updatedAt, patterns: [...c.byPattern] })),
    raters: [...sums.values()],
    agreement: agreementOf(coincidencesOfPatterns(all), postingId, POSTING_SAMPLES),
  };
}

type Stored = { postingId: number; summary: PostingSummary };

/** Parsed summaries per connection, so that a visit parses only what changed since the last. */
const parsed = new WeakMap<DB, Map<number, { revision: number; summary: PostingSummary }>>();

/**
 * The summaries of a region's recruitments, the stale ones computed again. A summary is
 * written only if its recruitment's revision did not move on while it was computed (read
 * first, then the ratings: a later change always moves the revision).
 */
export function regionSummaries(db: DB, regionId: number): Stored[] {
  const rows = q.summaryRevisionsOfRegion(db, regionId);
  let cache = parsed.get(db);
  if (!cache) parsed.set(db, (cache = new Map()));
  const out: Stored[] = [];
  const stale: { postingId: number; revision: number }[] = [];
  const toRead: number[] = [];
  for (const [postingId, revision, summaryRevision] of rows) {
    if (summaryRevision !== revision) {
      stale.push({ postingId, revision });
      continue;
    }
    const hit = cache.get(postingId);
    if (hit && hit.revision === revision) out.push({ postingId, summary: hit.summary });
    else toRead.push(postingId);
  }
  if (toRead.length) {
    const texts = q.currentSummaries(db, toRead);
    const read = new Set<number>();
    for (const [postingId, revision, text] of texts) {
      const summary = JSON.parse(text) as PostingSummary;
      cache.set(postingId, { revision, summary });
      out.push({ postingId, summary });
      read.add(postingId);
    }
    // Changed since the first read: computed again below with its new revision.
    for (const postingId of toRead) {
      if (read.has(postingId)) continue;
      const revision = q.summaryRevision(db, postingId);
      if (revision !== undefined) stale.push({ postingId, revision });
    }
  }
  for (const c of computeStale(db, stale)) out.push({ postingId: c.postingId, summary: c.summary });
  return out;
}

/**
 * The summaries of the recruitments given, computed from their ratings and written for the
 * revision read before (not written if a change moved it on meanwhile).
 */
function computeStale(db: DB, stale: { postingId: number; revision: number }[]) {
  const computed: { postingId: number; revision: number; summary: PostingSummary }[] = [];
  if (!stale.length) return computed;
  for (let i = 0; i < stale.length; i += 500) {
    const batch = stale.slice(i, i + 500);
    const ids = batch.map((s) => s.postingId);
    const ratings = q.ratingsOfPostings(db, ids);
    const panels = panelsOf(q.panelsOfPostings(db, ids));
    const byPosting = new Map<number, Row[]>();
    for (const row of ratings) {
      let list = byPosting.get(row[0]);
      if (!list) byPosting.set(row[0], (list = []));
      list.push(row);
    }
    for (const s of batch) computed.push({ ...s, summary: summarise(s.postingId, byPosting.get(s.postingId) ?? [], panels.get(s.postingId)) });
  }
  db.transaction(() => {
    for (const c of computed) q.writeSummary(db, c.postingId, c.revision, JSON.stringify(c.summary));
  })();
  let cache = parsed.get(db);
  if (!cache) parsed.set(db, (cache = new Map()));
  for (const c of computed) cache.set(c.postingId, { revision: c.revision, summary: c.summary });
  return computed;
}

/**
 * The background job's part: summaries that changed since they were computed, oldest change
 * first, ten at a time until `budgetMs` is spent (the job runs on the server's event loop: a
 * run must not hold it long; a recruitment of thousands of evaluated candidates still takes its
 * own time once). Returns how many were computed.
 */
export function refreshStaleSummaries(db: DB, budgetMs = 50, now: () => number = () => performance.now()): number {
  const started = now();
  let done = 0;
  for (;;) {
    const stale = q.staleSummaries(db, 10);
    if (!stale.length) return done;
    done += computeStale(db, stale).length;
    if (now() - started >= budgetMs) return done;
  }
}

/** What the region's figures depend on: its recruitments' revisions (one clock that only grows). */
export function regionFingerprint(db: DB, regionId: number): string {
  const row = q.revisionsOfRegion(db, regionId);
  return `${row.n}|${row.last}`;
}
