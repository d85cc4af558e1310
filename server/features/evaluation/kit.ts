import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { recordDocumentOpening } from '../pipeline/service.js';
import { applicationAccess, visibilityFor } from './access.js';
import { aggregateCandidate, type Level, type PanelEvaluation, type ScoredCriterion } from './aggregate.js';
import type { Criterion } from './cache.js';
import * as q from './queries.js';
import { criteriaOfPosting } from './scorecard.js';
import type { EvaluationForm } from './schemas.js';

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

/** The form's data; callers other than the form (demo data) may leave out `answered`, meaning yes. */
export type EvaluationInput = Omit<EvaluationForm, 'ratings'> & { ratings: (Omit<EvaluationForm['ratings'][number], 'answered'> & { answered?: boolean })[] };

export type SaveResult = 'saved' | 'submitted' | 'already_submitted';

/**
 * Saves the panelist's draft or submits it. Submission is final: submitting a version already
 * submitted (a second click, a resent form) changes nothing and says so.
 */
export function saveEvaluation(db: DB, actor: Actor, applicationId: number, input: EvaluationInput, ip?: string, now = new Date()): SaveResult {
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
    // A criterion not answered yet stays so in the draft (not "not assessed"), unless it has a
    // comment to keep; a submission has answered every criterion (the schema requires it).
    for (const r of input.ratings) if (r.answered !== false || r.comment) q.insertRating(db, draft.id, r.criterionId, r.level, r.comment);
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
