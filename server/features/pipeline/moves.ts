import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { mayMoveIn, viewableApplication, type MailContext } from './access.js';
import { mayHold, rejectionTemplate, sendCandidateMail, templateForStage } from './mails.js';
import * as q from './queries.js';
import type { BulkInput, RejectionMail, RejectionReason } from './schemas.js';
import type { TemplateKey } from './templates.js';
import { cancelInterviewsOfEnded } from '../interviews/service.js';

/** The form saw the application at another stage than where it is now. */
export class StaleForm extends Conflict {
  constructor(
    public readonly applicationId: number | null,
    public readonly currentStageName: string | null,
  ) {
    super('stale form');
  }
}

/** Moving to "Non retenu(e)" needs a reason and a mail choice: the rejection form. */
export class RejectionRequired extends Error {
  constructor(public readonly applicationId: number) {
    super('rejection requires a reason');
  }
}

export type DecisionOutcome = 'offer' | 'hired' | 'rejected';

/**
 * Moving to Proposition or Recruté(e), or rejecting from the interview stage on, is a hiring
 * decision: it needs the written rationale of the evaluation feature's decision form (issue 5),
 * which then performs the move here with `viaDecision`.
 */
export class DecisionRequired extends Invalid {
  constructor(
    public readonly applicationId: number,
    public readonly outcome: DecisionOutcome,
    view?: string,
    locals?: Record<string, unknown>,
    field = 'stage_id',
  ) {
    super({ [field]: 'evaluation.decision.required' }, view, locals);
  }
}

export function decisionNeeded(db: DB, app: { posting_id: number; stage_id: number }, target: q.StageRow): DecisionOutcome | null {
  if (target.kind === 'hired') return 'hired';
  if (target.stage_key === 'offer') return 'offer';
  if (target.kind !== 'rejected') return null;
  const stages = q.stagesOfPosting(db, app.posting_id);
  const interview = stages.find((st) => st.stage_key === 'interview');
  const current = stages.find((st) => st.id === app.stage_id);
  return interview && current && current.kind === 'middle' && current.position >= interview.position ? 'rejected' : null;
}

function applyMove(
  db: DB,
  actor: Actor,
  app: q.ApplicationRow,
  target: q.StageRow,
  expectedStageId: number,
  opts: { comment: string; reason: string | null; reasonText: string | null; mail: TemplateKey | null; ctx: MailContext; hold?: boolean },
  now: string,
): number {
  // The identity shows from the first stage that is not a screening stage on (Entretien...);
  // the end states keep whatever the application had reached.
  const openIdentity = (target.kind === 'middle' || target.kind === 'hired') && target.anonymised === 0;
  const changed = q.moveCard(
    db,
    { applicationId: app.application_id, expectedStageId, stageId: target.id, openIdentity, rejectionReason: opts.reason, rejectionText: opts.reasonText },
    now,
  ).changes;
  if (changed !== 1) throw new StaleForm(app.application_id, app.stage_name);
  q.insertMove(
    db,
    {
      organisationId: app.organisation_id,
      applicationId: app.application_id,
      from: { id: app.stage_id, name: app.stage_name },
      to: { id: target.id, name: target.name },
      actorId: actor.id,
      actorName: actor.name,
      comment: [opts.reasonText, opts.comment].filter(Boolean).join('\n'),
      reason: opts.reason,
    },
    now,
  );
  if (opts.mail) sendCandidateMail(db, actor, app, opts.mail, opts.ctx.translator, now, opts.hold === true);
  q.setApplicationStatus(db, app.application_id, statusForStage(target), now, Boolean(opts.mail));
  // An application that ends here (not retained, or a withdrawal the bureau records) has no
  // interview to come: the interviews feature cancels them and tells the candidate and the panel.
  return target.kind === 'rejected' || target.kind === 'withdrawn' ? cancelInterviewsOfEnded(db, app.application_id, target.kind, opts.ctx, new Date(now), actor).length : 0;
}

/** The applications feature's coarse status, which the candidate sees on their private page. */
export function statusForStage(stage: { kind: q.StageKind; stage_key: string | null; anonymised: number }): string {
  if (stage.kind === 'new') return 'received';
  if (stage.kind !== 'middle') return stage.kind;
  if (stage.stage_key === 'offer') return 'offer';
  if (stage.stage_key === 'interview' || stage.stage_key === 'jury') return 'interview';
  if (stage.stage_key === 'screening') return 'in_review';
  return stage.anonymised ? 'in_review' : 'interview';
}

function targetStage(db: DB, app: q.ApplicationRow, stageId: number, view?: string, locals?: Record<string, unknown>): q.StageRow {
  const stage = q.stageById(db, stageId);
  if (!stage || stage.posting_id !== app.posting_id) throw new Invalid({ stage_id: 'pipeline.errors.stageOtherPosting' }, view, locals);
  return stage;
}

export function moveApplication(
  db: DB,
  actor: Actor,
  input: { applicationId: number; stageId: number; expectedStageId: number; comment: string; sendMail: boolean; viaDecision?: boolean },
  ctx: MailContext,
  form: { view?: string; locals?: Record<string, unknown> } = {},
  now = new Date(),
) {
  return db.transaction(() => {
    const app = viewableApplication(db, actor, input.applicationId);
    // viaDecision: the evaluation feature has already authorised a panel decision (issue 5).
    if (!input.viaDecision && !mayMoveIn(db, actor, app)) throw new NotFound();
    const target = targetStage(db, app, input.stageId, form.view, form.locals);
    if (app.stage_id !== input.expectedStageId) throw new StaleForm(app.application_id, app.stage_name);
    if (target.kind === 'rejected') throw new RejectionRequired(app.application_id);
    if (target.id === app.stage_id) throw new Invalid({ stage_id: 'pipeline.errors.sameStage' }, form.view, form.locals);
    const decision = input.viaDecision ? null : decisionNeeded(db, app, target);
    if (decision) throw new DecisionRequired(app.application_id, decision, form.view, form.locals);
    const mail = input.sendMail ? templateForStage(target) : null;
    const interviewsCancelled = applyMove(db, actor, app, target, input.expectedStageId, { comment: input.comment, reason: null, reasonText: null, mail, ctx }, nowIso(now));
    return { app, target, mailSent: Boolean(mail), interviewsCancelled };
  })();
}

export function rejectApplication(
  db: DB,
  actor: Actor,
  input: { applicationId: number; expectedStageId: number; reason: RejectionReason; reasonText: string; mail: RejectionMail; viaDecision?: boolean; holdUntilFilled?: boolean },
  ctx: MailContext,
  now = new Date(),
) {
  return db.transaction(() => {
    const app = viewableApplication(db, actor, input.applicationId);
    // viaDecision: the evaluation feature has already authorised a panel decision (issue 5).
    if (!input.viaDecision && !mayMoveIn(db, actor, app)) throw new NotFound();
    const target = q.stagesOfPosting(db, app.posting_id).find((s) => s.kind === 'rejected');
    if (!target) throw new NotFound();
    if (app.stage_id !== input.expectedStageId || app.stage_id === target.id) throw new StaleForm(app.application_id, app.stage_name);
    if (!input.viaDecision && decisionNeeded(db, app, target)) throw new DecisionRequired(app.application_id, 'rejected');
    const mail = rejectionTemplate(db, app.application_id, input.mail, now);
    const hold = Boolean(mail) && input.holdUntilFilled === true && mayHold(db, app.posting_id);
    const interviewsCancelled = applyMove(db, actor, app, target, input.expectedStageId, { comment: '', reason: input.reason, reasonText: input.reasonText || null, mail, ctx, hold }, nowIso(now));
    return { app, target, mailSent: Boolean(mail) && !hold, mailHeld: hold, interviewsCancelled };
  })();
}

/**
 * Bulk move or rejection, all or nothing: every application must be visible and movable by
 * the actor (else 404), belong to one CPTS, and still be where the list showed it.
 */
export function bulkAction(
  db: DB,
  actor: Actor,
  organisationId: number,
  input: BulkInput,
  ctx: MailContext,
  form: { view?: string; locals?: Record<string, unknown> } = {},
  now = new Date(),
) {
  return db.transaction(() => {
    const ids = [...new Set(input.ids.map((s) => s.applicationId))];
    const scopes = q.applicationScopes(db, ids);
    if (scopes.length !== ids.length) throw new NotFound();
    for (const s of scopes) {
      if (!mayMoveIn(db, actor, s)) throw new NotFound();
    }
    if (scopes.some((s) => s.organisation_id !== organisationId)) throw new Invalid({ ids: 'pipeline.errors.mixedOrganisations' }, form.view, form.locals);
    const at = nowIso(now);
    let mails = 0;
    let held = 0;
    let interviewsCancelled = 0;
    let target: q.StageRow | undefined;
    for (const sel of input.ids.filter((s, i, all) => all.findIndex((o) => o.applicationId === s.applicationId) === i)) {
      const app = q.applicationById(db, sel.applicationId, actor.id);
      if (!app) throw new NotFound();
      if (app.stage_id !== sel.expectedStageId) throw new StaleForm(null, null);
      if (input.action === 'move') {
        target = q.stagesOfPosting(db, app.posting_id).find((s) => s.name.toLocaleLowerCase('fr') === String(input.stage).toLocaleLowerCase('fr'));
        if (!target) throw new Invalid({ stage: 'pipeline.errors.stageMissing' }, form.view, form.locals);
        if (target.kind === 'rejected') throw new Invalid({ stage: 'pipeline.errors.useReject' }, form.view, form.locals);
        if (target.id === app.stage_id) continue;
        if (decisionNeeded(db, app, target)) throw new DecisionRequired(app.application_id, 'offer', form.view, form.locals, 'stage');
        interviewsCancelled += applyMove(db, actor, app, target, sel.expectedStageId, { comment: '', reason: null, reasonText: null, mail: null, ctx }, at);
      } else {
        target = q.stagesOfPosting(db, app.posting_id).find((s) => s.kind === 'rejected');
        if (!target) throw new NotFound();
        if (target.id === app.stage_id) continue;
        if (decisionNeeded(db, app, target)) throw new DecisionRequired(app.application_id, 'rejected', form.view, form.locals, 'ids');
        const mail = rejectionTemplate(db, app.application_id, input.mail, now);
        const hold = Boolean(mail) && input.timing === 'filled' && mayHold(db, app.posting_id);
        interviewsCancelled += applyMove(db, actor, app, target, sel.expectedStageId, { comment: '', reason: input.reason || null, reasonText: input.reason_text || null, mail, ctx, hold }, at);
        if (mail && !hold) mails++;
        if (hold) held++;
      }
    }
    audit(db, {
      actorUserId: actor.id,
      actorLabel: actor.email,
      action: input.action === 'move' ? 'pipeline.bulk_moved' : 'pipeline.bulk_rejected',
      organisationId: scopes[0].organisation_id,
      targetType: 'application',
      ip: ctx.ip,
      details: { applications: ids, stage: target?.name ?? null, mails, held, interviewsCancelled },
    });
    return { count: ids.length, mails, held, interviewsCancelled, stageName: target?.name ?? '' };
  })();
}
