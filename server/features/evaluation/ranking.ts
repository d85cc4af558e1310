import type { DB } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { postingAccess, resultsClass, type PostingAccess } from './access.js';
import type { CandidateAggregate } from './aggregate.js';
import { postingInputs, type CachedApplication, type PostingInputs } from './cache.js';
import { buildOrder, classView, slice, type ClassView, type SharedOrder } from './order.js';
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

// The ranking's order of each cached posting value, built on first use: it lives and goes with
// the value (a new revision is a new value).
const orders = new WeakMap<PostingInputs, SharedOrder<CachedApplication>>();

function sharedOrder(inputs: PostingInputs): SharedOrder<CachedApplication> {
  let shared = orders.get(inputs);
  if (!shared) {
    shared = buildOrder(inputs.applications);
    orders.set(inputs, shared);
  }
  return shared;
}

/** What the viewer's class sees of the posting (independence rule), shared by the class. */
function viewOf(access: PostingAccess, actorId: number, inputs: PostingInputs): { shared: SharedOrder<CachedApplication>; view: ClassView } {
  const shared = sharedOrder(inputs);
  const cls = resultsClass(access, actorId, access.panelMembers);
  return { shared, view: classView(shared, cls.key, cls.sees) };
}

/**
 * The viewer's part, per request and for the rows asked for only: the independence rule (from
 * the class view), the ranks, the panelist's own drafts. Items `from` to `to` of the viewer's
 * list: the candidates whose results they may see, ranked, then the others, unranked, in the
 * board's order.
 */
function viewerItems(db: DB, access: PostingAccess, actorId: number, inputs: PostingInputs, from: number, to: number) {
  const { shared, view } = viewOf(access, actorId, inputs);
  const drafts = access.member ? new Set(q.draftsOfUser(db, access.posting.id, actorId).map((d) => d.application_id)) : null;
  const items = slice(shared, view, from, to).map(({ app, visible, rank }): ResultItem => {
    const mine: Mine = drafts === null ? null : app.submitters.has(actorId) ? 'submitted' : drafts.has(app.application_id) ? 'draft' : 'todo';
    return { application_id: app.application_id, submittedCount: app.submittedCount, visible, aggregate: visible ? app.aggregate : null, rank, mine };
  });
  return { items, rankedCount: view.visible.length, hiddenCount: view.hidden.length };
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
  const { items, rankedCount } = viewerItems(db, access, actorId, inputs, 0, inputs.applications.length);
  return {
    criteria: inputs.criteria,
    members: access.panelMembers,
    ranked: withRows(items.slice(0, rankedCount), (ids) => q.applicationsByIds(db, ids, actorId)),
    hidden: withRows(items.slice(rankedCount), (ids) => q.applicationsByIds(db, ids, actorId)),
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
  const total = inputs.applications.length;
  const all = options.all === true;
  const pages = all ? 1 : Math.max(1, Math.ceil(total / RANKING_PAGE_SIZE));
  const page = all ? 1 : (options.page ?? 1);
  if (!Number.isInteger(page) || page < 1 || page > pages) throw new NotFound();
  const from = all ? 0 : (page - 1) * RANKING_PAGE_SIZE;
  const { items, rankedCount, hiddenCount } = viewerItems(db, access, actor.id, inputs, from, all ? total : from + RANKING_PAGE_SIZE);
  const rows = withRows(items, (ids) => q.namesByIds(db, ids, actor.id));
  return {
    ...access,
    criteria: inputs.criteria,
    members: access.panelMembers,
    evaluatedStage: access.startStage,
    rows,
    /** the page's candidates whose results the viewer sees, for the matrix */
    matrixRows: rows.filter((r) => r.visible),
    rankedCount,
    hiddenCount,
    total,
    all,
    page,
    pages,
    pageNumbers: pageNumbers(page, pages),
    first: total === 0 ? 0 : from + 1,
    last: from + items.length,
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
 * lists; `applicationIds`: only those (the cards or rows shown), else every one. Postings
 * without a scorecard yet have no score (and none is created here).
 */
export function visibleScores(db: DB, actor: Actor, postingIds: number[], applicationIds?: readonly number[]): Map<number, { score: number; evaluations: number }> {
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
    const inputs = inputsOf(db, access, scorecard);
    const { shared, view } = viewOf(access, actor.id, inputs);
    const add = (index: number) => {
      const app = inputs.applications[index];
      const score = app.aggregate.weightedScore;
      if (score !== null && view.sees[index]) out.set(app.application_id, { score, evaluations: app.aggregate.evaluations });
    };
    if (applicationIds) {
      for (const id of applicationIds) {
        const index = shared.indexById.get(id);
        if (index !== undefined) add(index);
      }
    } else for (let i = 0; i < inputs.applications.length; i++) add(i);
  }
  return out;
}
