import type { DB } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { postingAccess, resultsRule, type PostingAccess } from './access.js';
import { rankCandidates, type CandidateAggregate } from './aggregate.js';
import { postingInputs, type PostingInputs } from './cache.js';
import * as q from './queries.js';
import { ensureScorecard } from './scorecard.js';

type Mine = 'todo' | 'draft' | 'submitted' | null;
/** One candidate as the viewer may see them: ids and numbers, no name (joined for the rows shown). */
export type ResultItem = { application_id: number; submittedCount: number; visible: boolean; aggregate: CandidateAggregate | null; rank: number | null; mine: Mine };
export type RankingRow = q.ApplicationScope & ResultItem;
export type RankingPageRow = q.NameRow & ResultItem;

/** The posting's cached aggregation inputs (the scorecard must exist). */
function inputsOf(db: DB, access: PostingAccess, scorecard: q.ScorecardRow) {
  return postingInputs(db, access.posting.id, scorecard.id, access.startPosition);
}

/**
 * The viewer's part, per request: the independence rule on each candidate, the panelist's own
 * drafts, and the ranking of the candidates the viewer may see (the others come after,
 * unranked, in the board's order).
 */
function viewerResults(db: DB, access: PostingAccess, actorId: number, inputs: PostingInputs) {
  const sees = resultsRule(access, actorId, access.panelMembers);
  const drafts = access.member ? new Set(q.draftsOfUser(db, access.posting.id, actorId).map((d) => d.application_id)) : null;
  const visible: (ResultItem & { aggregate: CandidateAggregate })[] = [];
  const hidden: ResultItem[] = [];
  for (const app of inputs.applications) {
    const mine: Mine = drafts === null ? null : app.submitters.has(actorId) ? 'submitted' : drafts.has(app.application_id) ? 'draft' : 'todo';
    if (sees((id) => app.submitters.has(id))) visible.push({ application_id: app.application_id, submittedCount: app.submittedCount, visible: true, aggregate: app.aggregate, rank: null, mine });
    else hidden.push({ application_id: app.application_id, submittedCount: app.submittedCount, visible: false, aggregate: null, rank: null, mine });
  }
  return { ranked: rankCandidates(visible) as ResultItem[], hidden };
}

/**
 * Joins each item to its display row, read fresh (an application erased meanwhile drops out).
 * The rows are this call's own objects: completed in place (cheaper than copying them).
 */
function withRows<R extends { application_id: number }>(items: ResultItem[], rowsOf: (ids: number[]) => R[]): (R & ResultItem)[] {
  const byId = new Map<number, R>();
  for (const row of rowsOf(items.map((i) => i.application_id))) byId.set(row.application_id, row);
  const rows: (R & ResultItem)[] = [];
  for (const item of items) {
    const row = byId.get(item.application_id);
    if (row) rows.push(Object.assign(row, item));
  }
  return rows;
}

/** Every candidate of the evaluated stages, ranked as the viewer may see them (decisions, demo). */
export function postingResults(db: DB, access: PostingAccess, actorId: number) {
  const scorecard = ensureScorecard(db, access.posting);
  const inputs = inputsOf(db, access, scorecard);
  const { ranked, hidden } = viewerResults(db, access, actorId, inputs);
  return {
    criteria: inputs.criteria,
    members: access.panelMembers,
    ranked: withRows(ranked, (ids) => q.applicationsByIds(db, ids, actorId)),
    hidden: withRows(hidden, (ids) => q.applicationsByIds(db, ids, actorId)),
    evaluatedStage: access.startStage,
  };
}

export const RANKING_PAGE_SIZE = 50;

/** Page numbers to link: all of them up to 9, else the first, the last and two around the current one (null: a gap). */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  if (pages <= 9) return Array.from({ length: pages }, (_, i) => i + 1);
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out.at(-1) !== null) out.push(null);
  }
  return out;
}

/**
 * The ranking page: 50 candidates per page (ranked first, then those whose results the
 * viewer may not see yet), ranks counted over the whole posting; `all` shows every row (the
 * printable version). A page past the last one does not exist.
 */
export function rankingPage(db: DB, actor: Actor, postingId: number, options: { page?: number; all?: boolean } = {}) {
  const access = postingAccess(db, actor, postingId);
  const scorecard = ensureScorecard(db, access.posting);
  const inputs = inputsOf(db, access, scorecard);
  const { ranked, hidden } = viewerResults(db, access, actor.id, inputs);
  const total = ranked.length + hidden.length;
  const all = options.all === true;
  const pages = all ? 1 : Math.max(1, Math.ceil(total / RANKING_PAGE_SIZE));
  const page = all ? 1 : (options.page ?? 1);
  if (!Number.isInteger(page) || page < 1 || page > pages) throw new NotFound();
  const from = all ? 0 : (page - 1) * RANKING_PAGE_SIZE;
  const slice = [...ranked, ...hidden].slice(from, all ? total : from + RANKING_PAGE_SIZE);
  const rows = withRows(slice, (ids) => q.namesByIds(db, ids, actor.id));
  return {
    ...access,
    criteria: inputs.criteria,
    members: access.panelMembers,
    evaluatedStage: access.startStage,
    rows,
    /** the page's candidates whose results the viewer sees, for the matrix */
    matrixRows: rows.filter((r) => r.visible),
    rankedCount: ranked.length,
    hiddenCount: hidden.length,
    total,
    all,
    page,
    pages,
    pageNumbers: pageNumbers(page, pages),
    first: total === 0 ? 0 : from + 1,
    last: from + slice.length,
  };
}

/** The panelist's dashboard list: their postings, the candidates to evaluate and where they stand. */
export function myEvaluations(db: DB, actor: Actor) {
  return q.panelsOfUser(db, actor.id).map((p) => {
    const apps = q.evaluatedApplications(db, p.posting_id, p.start_position, actor.id);
    const done = new Set(
      q
        .submittersOfPosting(db, p.posting_id)
        .filter((s) => s.panelist_user_id === actor.id)
        .map((s) => s.application_id),
    );
    const drafts = new Set(q.draftsOfUser(db, p.posting_id, actor.id).map((d) => d.application_id));
    return {
      ...p,
      candidates: apps.map((a) => ({ ...a, mine: done.has(a.application_id) ? 'submitted' : drafts.has(a.application_id) ? 'draft' : 'todo' })),
    };
  });
}

/**
 * The panel's weighted score of each application the actor may see it for (the independence
 * rule applies: a panelist who has not submitted sees none), for the pipeline's cards and
 * lists. Postings without a scorecard yet have no score (and none is created here).
 */
export function visibleScores(db: DB, actor: Actor, postingIds: number[]): Map<number, { score: number; evaluations: number }> {
  const out = new Map<number, { score: number; evaluations: number }>();
  for (const postingId of new Set(postingIds)) {
    const scorecard = q.scorecardOfPosting(db, postingId);
    if (!scorecard) continue;
    let access: PostingAccess;
    try {
      access = postingAccess(db, actor, postingId);
    } catch {
      continue;
    }
    const sees = resultsRule(access, actor.id, access.panelMembers);
    for (const app of inputsOf(db, access, scorecard).applications) {
      const score = app.aggregate.weightedScore;
      if (score !== null && sees((id) => app.submitters.has(id))) out.set(app.application_id, { score, evaluations: app.aggregate.evaluations });
    }
  }
  return out;
}
