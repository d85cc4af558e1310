import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Translate } from '../../core/i18n.js';
import { can, type Actor, type OrgRef } from '../../core/policy.js';
import { createInvitation } from '../auth/service.js';
import { recordDocumentOpening } from '../pipeline/service.js';
import { aggregateCandidate, rankCandidates, type CandidateAggregate, type Level, type PanelEvaluation, type ScoredCriterion } from './aggregate.js';
import { postingInputs, toCriterion, type Criterion, type PostingInputs } from './cache.js';
import * as q from './queries.js';
import { templateForKind } from './reference.js';
import type { CriterionForm, EvaluationForm } from './schemas.js';

export type MailContext = { t: Translate; baseUrl: string; ip?: string };
type Form = { view?: string; locals?: Record<string, unknown> };

// ---- Access ---------------------------------------------------------------------------------

export type PostingAccess = {
  posting: q.PostingScope;
  org: OrgRef;
  /** bureau of the CPTS or chargé(e) de mission of its region */
  orgView: boolean;
  mayConfigure: boolean;
  mayDecide: boolean;
  /** the actor's seat on this posting's panel, if any */
  member: q.PanelMemberRow | undefined;
  panelMembers: q.PanelMemberRow[];
  startStage: q.StageRow | undefined;
  startPosition: number;
};

/** The stage from which the panel sees candidates: its setting, else "Entretien", else the first middle stage. */
function startStageOf(db: DB, postingId: number, stages = q.stagesOfPosting(db, postingId)) {
  const chosen = q.panelStartStage(db, postingId)?.start_stage_id;
  return stages.find((s) => s.id === chosen) ?? stages.find((s) => s.stage_key === 'interview') ?? stages.find((s) => s.kind === 'middle');
}

/**
 * Who reaches a posting's evaluation: its CPTS's bureau and its region's chargés de mission
 * (policy), and the members of its panel (checked here, per posting). Anyone else: 404.
 */
export function postingAccess(db: DB, actor: Actor, postingId: number): PostingAccess {
  const posting = q.postingScope(db, postingId);
  if (!posting) throw new NotFound();
  const org = { id: posting.organisation_id, region_id: posting.region_id };
  const orgView = can(actor, 'evaluation.view', org);
  const member = q.panelMember(db, posting.id, actor.id);
  if (!orgView && !member) throw new NotFound();
  const startStage = startStageOf(db, posting.id);
  return {
    posting,
    org,
    orgView,
    mayConfigure: can(actor, 'evaluation.configure', org),
    mayDecide: can(actor, 'evaluation.decide', org),
    member,
    panelMembers: q.panelMembers(db, posting.id),
    startStage,
    startPosition: startStage?.position ?? 1,
  };
}

/** A panelist reaches only the candidates of their posting from the panel's first stage on. */
export function applicationAccess(db: DB, actor: Actor, applicationId: number) {
  const app = q.applicationScope(db, applicationId, actor.id);
  if (!app) throw new NotFound();
  const access = postingAccess(db, actor, app.posting_id);
  if (!access.orgView && !q.isEvaluated(db, app.posting_id, app.application_id, access.startPosition)) throw new NotFound();
  return { ...access, app };
}

function requireConfigure(access: PostingAccess) {
  if (!access.mayConfigure) throw new NotFound();
}

/**
 * Independence. A panelist sees the others' ratings of a candidate once they have submitted
 * their own; the chair (and the bureau or chargé(e) de mission on the panel) sees who has
 * submitted before that, never what. Bureau members and chargés de mission who are not on the
 * panel rate nobody, so nothing they read can bias their own rating; they see the results of
 * a candidate once every current panel member has submitted for that candidate (the panel has
 * finished with them), and who has submitted before that.
 */
export function visibilityFor(access: PostingAccess, actorId: number, applicationId: number, submitters: { application_id: number; panelist_user_id: number | null }[], members: q.PanelMemberRow[]) {
  return visibilityOf(access, actorId, (userId) => submitters.some((s) => s.application_id === applicationId && s.panelist_user_id === userId), members);
}

/** The same rule, given who has a current submitted evaluation of the candidate. */
export function visibilityOf(access: PostingAccess, actorId: number, submitted: (userId: number) => boolean, members: q.PanelMemberRow[]) {
  const results = resultsRule(access, actorId, members)(submitted);
  if (access.member) return { results, who: results || access.member.is_chair === 1 || access.orgView };
  return { results, who: access.orgView };
}

/**
 * The "results" half of that rule, decided once per viewer and then applied to each
 * candidate's submitters (the ranking and the score badges test hundreds of them);
 * visibilityOf uses it too, so the rule is written once.
 */
export function resultsRule(access: PostingAccess, actorId: number, members: q.PanelMemberRow[]): (submitted: (userId: number) => boolean) => boolean {
  if (access.member) return (submitted) => submitted(actorId);
  if (!access.orgView || members.length === 0) return () => false;
  const ids = members.map((m) => m.user_id);
  return (submitted) => ids.every((id) => submitted(id));
}

// ---- Scorecards -----------------------------------------------------------------------------

export type { Criterion } from './cache.js';

/** The posting's scorecard, copied from the template of its kind the first time it is needed. */
export function ensureScorecard(db: DB, posting: q.PostingScope, now = new Date()): q.ScorecardRow {
  const existing = q.scorecardOfPosting(db, posting.id);
  if (existing) return existing;
  return db.transaction(() => {
    const again = q.scorecardOfPosting(db, posting.id);
    if (again) return again;
    const template = templateForKind(posting.kind);
    const at = nowIso(now);
    const id = q.insertScorecard(db, { organisationId: posting.organisation_id, postingId: posting.id, templateKey: template.key, name: template.name }, at);
    template.criteria.forEach((c, i) =>
      q.insertCriterion(
        db,
        posting.organisation_id,
        id,
        {
          key: c.key,
          group: c.group,
          label: c.label,
          description: c.description,
          weight: c.weight,
          mustHave: c.must_have,
          minLevel: c.must_have ? c.min_level : null,
          levels: [c.levels['1'], c.levels['2'], c.levels['3'], c.levels['4']],
          questions: c.questions,
        },
        i + 1,
        at,
      ),
    );
    return q.scorecardOfPosting(db, posting.id) as q.ScorecardRow;
  })();
}

export function criteriaOfPosting(db: DB, posting: q.PostingScope) {
  const scorecard = ensureScorecard(db, posting);
  return { scorecard, criteria: q.criteriaOf(db, scorecard.id).map(toCriterion) };
}

export function scorecardPage(db: DB, actor: Actor, postingId: number) {
  const access = postingAccess(db, actor, postingId);
  requireConfigure(access);
  return { ...access, ...criteriaOfPosting(db, access.posting) };
}

const criterionInput = (input: CriterionForm, key: string | null): q.CriterionInput => ({
  key,
  group: input.group,
  label: input.label,
  description: input.description,
  weight: input.weight,
  mustHave: input.must_have,
  minLevel: input.must_have ? input.min_level : null,
  levels: [input.level_1, input.level_2, input.level_3, input.level_4],
  questions: input.questions,
});

export function addCriterion(db: DB, actor: Actor, postingId: number, input: CriterionForm, ip?: string, now = new Date()) {
  return db.transaction(() => {
    const access = postingAccess(db, actor, postingId);
    requireConfigure(access);
    const { scorecard, criteria } = criteriaOfPosting(db, access.posting);
    const id = q.insertCriterion(db, scorecard.organisation_id, scorecard.id, criterionInput(input, null), Math.max(0, ...criteria.map((c) => c.position)) + 1, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'evaluation.criterion_added', organisationId: scorecard.organisation_id, targetType: 'posting', targetId: postingId, ip, details: { criterion: id } });
    return id;
  })();
}

/** Raised when a criterion would change after the first submitted rating. */
export class ScorecardLocked extends Conflict {
  constructor() {
    super('scorecard locked');
  }
}

function editableCriterion(db: DB, actor: Actor, postingId: number, criterionId: number) {
  const access = postingAccess(db, actor, postingId);
  requireConfigure(access);
  const { scorecard, criteria } = criteriaOfPosting(db, access.posting);
  const criterion = criteria.find((c) => c.id === criterionId);
  if (!criterion) throw new NotFound();
  return { access, scorecard, criterion };
}

export function criterionPage(db: DB, actor: Actor, postingId: number, criterionId: number) {
  const { access, scorecard, criterion } = editableCriterion(db, actor, postingId, criterionId);
  return { ...access, scorecard, criterion };
}

export function updateCriterion(db: DB, actor: Actor, postingId: number, criterionId: number, input: CriterionForm, ip?: string, now = new Date()) {
  db.transaction(() => {
    const { scorecard, criterion } = editableCriterion(db, actor, postingId, criterionId);
    if (scorecard.locked_at) throw new ScorecardLocked();
    q.updateCriterion(db, criterion.id, criterionInput(input, criterion.criterion_key), nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'evaluation.criterion_updated', organisationId: scorecard.organisation_id, targetType: 'posting', targetId: postingId, ip, details: { criterion: criterion.id } });
  })();
}

export function deleteCriterion(db: DB, actor: Actor, postingId: number, criterionId: number, ip?: string) {
  db.transaction(() => {
    const { scorecard, criterion } = editableCriterion(db, actor, postingId, criterionId);
    if (scorecard.locked_at) throw new ScorecardLocked();
    q.deleteCriterion(db, criterion.id);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'evaluation.criterion_deleted', organisationId: scorecard.organisation_id, targetType: 'posting', targetId: postingId, ip, details: { label: criterion.label } });
  })();
}

// ---- Panel ----------------------------------------------------------------------------------

export function panelPage(db: DB, actor: Actor, postingId: number, now = new Date()) {
  const access = postingAccess(db, actor, postingId);
  requireConfigure(access);
  const members = q.panelMembers(db, postingId);
  const eligible = q.eligibleMembers(db, access.posting.organisation_id, access.posting.region_id).filter((e) => !members.some((m) => m.user_id === e.user_id));
  const stages = q.stagesOfPosting(db, postingId).filter((s) => s.kind === 'middle');
  return { ...access, members, eligible, stages, pending: q.pendingPanelInvitations(db, postingId, nowIso(now)) };
}

function auditPanel(db: DB, actor: Actor, access: PostingAccess, action: string, ip: string | undefined, details: Record<string, unknown>) {
  audit(db, { actorUserId: actor.id, actorLabel: actor.email, action, organisationId: access.posting.organisation_id, targetType: 'posting', targetId: access.posting.id, ip, details });
}

/** The first member to join chairs until someone else is named. */
function seat(db: DB, actor: Actor, access: PostingAccess, userId: number, kind: string, now: string) {
  q.insertPanelMember(db, { organisationId: access.posting.organisation_id, postingId: access.posting.id, userId, kind, addedBy: actor.id }, now);
  if (!q.panelMembers(db, access.posting.id).some((m) => m.is_chair === 1)) q.setChair(db, access.posting.id, userId);
}

export function addPanelMember(db: DB, actor: Actor, postingId: number, userId: number, form: Form, ip?: string, now = new Date()) {
  db.transaction(() => {
    const access = postingAccess(db, actor, postingId);
    requireConfigure(access);
    const candidate = q.eligibleMembers(db, access.posting.organisation_id, access.posting.region_id).find((e) => e.user_id === userId);
    if (!candidate) throw new Invalid({ user_id: 'errors.choice' }, form.view, form.locals);
    seat(db, actor, access, userId, candidate.kind, nowIso(now));
    auditPanel(db, actor, access, 'evaluation.panel_added', ip, { user: userId });
  })();
}

export function removePanelMember(db: DB, actor: Actor, postingId: number, userId: number, ip?: string) {
  db.transaction(() => {
    const access = postingAccess(db, actor, postingId);
    requireConfigure(access);
    if (q.deletePanelMember(db, postingId, userId).changes !== 1) throw new NotFound();
    auditPanel(db, actor, access, 'evaluation.panel_removed', ip, { user: userId });
  })();
}

export function setPanelChair(db: DB, actor: Actor, postingId: number, userId: number, ip?: string) {
  db.transaction(() => {
    const access = postingAccess(db, actor, postingId);
    requireConfigure(access);
    if (!q.panelMember(db, postingId, userId)) throw new NotFound();
    q.setChair(db, postingId, userId);
    auditPanel(db, actor, access, 'evaluation.panel_chair', ip, { user: userId });
  })();
}

export function setPanelStart(db: DB, actor: Actor, postingId: number, stageId: number, form: Form, now = new Date()) {
  db.transaction(() => {
    const access = postingAccess(db, actor, postingId);
    requireConfigure(access);
    const stage = q.stagesOfPosting(db, postingId).find((s) => s.id === stageId && s.kind === 'middle');
    if (!stage) throw new Invalid({ stage_id: 'errors.choice' }, form.view, form.locals);
    q.upsertPanel(db, postingId, access.posting.organisation_id, stage.id, nowIso(now));
  })();
}

/**
 * An outside evaluator: an account limited to this posting (no role in any CPTS) is created at
 * once and seated on the panel; the invitation mail lets them choose their password. Someone
 * who already has an account is simply seated.
 */
export function invitePanelist(db: DB, actor: Actor, postingId: number, input: { name: string; email: string }, ctx: MailContext, form: Form, now = new Date()) {
  return db.transaction(() => {
    const access = postingAccess(db, actor, postingId);
    requireConfigure(access);
    const at = nowIso(now);
    const existing = q.userByEmail(db, input.email);
    if (existing && q.panelMember(db, postingId, existing.id)) throw new Invalid({ email: 'evaluation.errors.alreadyOnPanel' }, form.view, form.locals);
    const eligible = existing && q.eligibleMembers(db, access.posting.organisation_id, access.posting.region_id).find((e) => e.user_id === existing.id);
    const userId =
      existing?.id ??
q.insertAccountWithoutPassword(db, input.email, input.name, at);
    seat(db, actor, access, userId, eligible ? eligible.kind : 'external', at);
    const hasPassword = existing ? Boolean(q.userById(db, existing.id)?.has_password) : false;
    if (!hasPassword) {
      createInvitation(
        db,
        actor,
        { email: input.email, name: input.name, role: 'panelist', title: '', organisationId: access.posting.organisation_id, regionId: null, targetName: `${access.posting.title} (${access.posting.org_name})` },
        { baseUrl: ctx.baseUrl, t: ctx.t, roleLabel: ctx.t('roles.panelist'), ip: ctx.ip },
        now,
      );
    }
    auditPanel(db, actor, access, 'evaluation.panel_invited', ctx.ip, { email: input.email, invited: !hasPassword });
    return { invited: !hasPassword };
  })();
}

// ---- Evaluations ----------------------------------------------------------------------------

type Rating = { level: number | null; comment: string };
export type EvaluationWithRatings = q.EvaluationRow & { ratings: Map<number, Rating> };

function withRatings(db: DB, evaluations: q.EvaluationRow[]): EvaluationWithRatings[] {
  const rows = q.ratingsOfEvaluations(
    db,
    evaluations.map((e) => e.id),
  );
  return evaluations.map((e) => ({ ...e, ratings: new Map(rows.filter((r) => r.evaluation_id === e.id).map((r) => [r.criterion_id, { level: r.level, comment: r.comment }])) }));
}

const scored = (criteria: Criterion[]): ScoredCriterion[] => criteria.map((c) => ({ id: c.id, weight: c.weight, mustHave: c.must_have === 1, minLevel: c.min_level }));

const toPanelEvaluation = (e: { panelist_user_id: number | null; recommendation: q.Recommendation | null; ratings: Map<number, Rating> }): PanelEvaluation => ({
  panelistId: e.panelist_user_id ?? 0,
  recommendation: e.recommendation,
  ratings: Object.fromEntries([...e.ratings].map(([cid, r]) => [cid, r.level as Level | null])),
});

export function kitPage(db: DB, actor: Actor, applicationId: number) {
  const access = applicationAccess(db, actor, applicationId);
  const { scorecard, criteria } = criteriaOfPosting(db, access.posting);
  const members = q.panelMembers(db, access.posting.id);
  const all = q.evaluationsOfApplication(db, applicationId);
  const current = all.filter((e) => e.status === 'submitted' && !e.superseded_at);
  const visibility = visibilityFor(access, actor.id, applicationId, current, members);
  const mine = withRatings(
    db,
    all.filter((e) => e.panelist_user_id === actor.id),
  );
  const draft = mine.find((e) => e.status === 'draft');
  const submitted = mine.filter((e) => e.status === 'submitted');
  const others = visibility.results
    ? withRatings(
        db,
        all.filter((e) => e.status === 'submitted'),
      )
    : [];
  const aggregate = visibility.results ? aggregateCandidate(scored(criteria), others.filter((e) => !e.superseded_at).map(toPanelEvaluation)) : null;
  return {
    ...access,
    scorecard,
    criteria,
    documents: q.documentsOf(db, applicationId),
    members,
    draft,
    submitted,
    latest: submitted.find((e) => !e.superseded_at),
    visibility,
    results: others,
    aggregate,
    submitters: visibility.who ? current.map((e) => e.panelist_name) : [],
    waitingFor: visibility.who ? members.filter((m) => !current.some((e) => e.panelist_user_id === m.user_id)).map((m) => m.name) : [],
    submittedCount: current.length,
    decisions: access.orgView ? q.decisionsOfApplication(db, applicationId) : [],
  };
}

export type SaveResult = 'saved' | 'submitted' | 'already_submitted';

/**
 * Saves the panelist's draft or submits it. Submission is final: submitting a version already
 * submitted (a second click, a resent form) changes nothing and says so.
 */
export function saveEvaluation(db: DB, actor: Actor, applicationId: number, input: EvaluationForm, ip?: string, now = new Date()): SaveResult {
  return db.transaction(() => {
    const access = applicationAccess(db, actor, applicationId);
    if (!access.member) throw new NotFound();
    const { scorecard } = criteriaOfPosting(db, access.posting);
    const mine = q.evaluationsOfPanelist(db, applicationId, actor.id);
    const same = mine.find((e) => e.version === input.version);
    if (same?.status === 'submitted') return 'already_submitted';
    const at = nowIso(now);
    let draft = mine.find((e) => e.status === 'draft');
    if (!draft) {
      if (mine.length > 0) return 'already_submitted';
      const id = q.insertEvaluation(
        db,
        { organisationId: access.posting.organisation_id, postingId: access.posting.id, applicationId, userId: actor.id, name: actor.name, version: 1, amendmentReason: '' },
        at,
      );
      draft = q.evaluationsOfPanelist(db, applicationId, actor.id).find((e) => e.id === id) as q.EvaluationRow;
    }
    q.updateDraft(db, draft.id, input.recommendation, input.summary, at);
    q.deleteRatings(db, draft.id);
    for (const r of input.ratings) q.insertRating(db, draft.id, r.criterionId, r.level, r.comment);
    if (input.intent === 'save') return 'saved';
    q.submitEvaluation(db, draft.id, at);
    q.supersedeEarlier(db, applicationId, actor.id, draft.version, at);
    q.lockScorecard(db, scorecard.id, at);
    audit(db, {
      actorUserId: actor.id,
      actorLabel: actor.email,
      action: draft.version > 1 ? 'evaluation.amended' : 'evaluation.submitted',
      organisationId: access.posting.organisation_id,
      targetType: 'application',
      targetId: applicationId,
      ip,
      details: { version: draft.version },
    });
    return 'submitted';
  })();
}

/** Opens a new draft version, prefilled from the last submitted one; both stay visible. */
export function amendEvaluation(db: DB, actor: Actor, applicationId: number, reason: string, now = new Date()) {
  db.transaction(() => {
    const access = applicationAccess(db, actor, applicationId);
    if (!access.member) throw new NotFound();
    const mine = q.evaluationsOfPanelist(db, applicationId, actor.id);
    if (mine.some((e) => e.status === 'draft')) return;
    const latest = mine.filter((e) => e.status === 'submitted').at(-1);
    if (!latest) throw new NotFound();
    const at = nowIso(now);
    const id = q.insertEvaluation(
      db,
      { organisationId: access.posting.organisation_id, postingId: access.posting.id, applicationId, userId: actor.id, name: actor.name, version: latest.version + 1, amendmentReason: reason },
      at,
    );
    q.updateDraft(db, id, latest.recommendation, latest.summary, at);
    for (const r of q.ratingsOfEvaluations(db, [latest.id])) q.insertRating(db, id, r.criterion_id, r.level, r.comment);
  })();
}

// ---- Ranking and matrix -----------------------------------------------------------------------

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

// ---- Documents --------------------------------------------------------------------------------

/** A document of a candidate the actor may evaluate (panelists included). */
export function kitDocument(db: DB, actor: Actor, applicationId: number, documentId: number, ip?: string) {
  const access = applicationAccess(db, actor, applicationId);
  const doc = q.documentsOf(db, applicationId).find((d) => d.id === documentId);
  if (!doc) throw new NotFound();
  return db.transaction(() => {
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'evaluation.document_opened', organisationId: access.posting.organisation_id, targetType: 'application', targetId: applicationId, ip, details: { document: documentId } });
    // During anonymised screening the opening is recorded as the pipeline's are (anonymity rule).
    return { ...doc, masked: recordDocumentOpening(db, actor, applicationId, documentId, ip) };
  })();
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

/**
 * Whether the actor may read the panel's submitted evaluations of this application, by the
 * independence rule above (the bureau's GDPR export of a candidate's data uses it). An actor
 * without access to the application's evaluation reads none.
 */
export function applicationResultsVisible(db: DB, actor: Actor, applicationId: number): boolean {
  let access: ReturnType<typeof applicationAccess>;
  try {
    access = applicationAccess(db, actor, applicationId);
  } catch (err) {
    if (err instanceof NotFound) return false;
    throw err;
  }
  const current = q.evaluationsOfApplication(db, applicationId).filter((e) => e.status === 'submitted' && !e.superseded_at);
  return visibilityFor(access, actor.id, applicationId, current, q.panelMembers(db, access.posting.id)).results;
}
