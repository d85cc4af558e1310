import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { postingAccess, requireConfigure } from './access.js';
import { toCriterion } from './cache.js';
import * as q from './queries.js';
import { templateForKind } from './reference.js';
import type { CriterionForm } from './schemas.js';

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
