/**
 * Hiring decisions: moving a candidate to Proposition or Recruté(e), or rejecting them from
 * the interview stage on, goes through a written rationale recorded with who, when and the
 * panel's scores as they stood. The stage move itself is the pipeline's own, in the same
 * transaction.
 */
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { moveApplication, rejectApplication } from '../pipeline/service.js';
import * as q from './queries.js';
import { missingRationale, NO_NEEDS, parseStoredRationale, rationaleList, rationaleNeeds } from './rationale.js';
import type { DecisionForm, Outcome } from './schemas.js';
import { applicationAccess, postingAccess, postingResults, type MailContext } from './service.js';

type Form = { view?: string; locals?: Record<string, unknown> };

export class StaleDecision extends Conflict {
  constructor() {
    super('stale decision form');
  }
}

function targetOf(stages: q.StageRow[], outcome: Outcome) {
  if (outcome === 'offer') return stages.find((s) => s.stage_key === 'offer');
  if (outcome === 'hired') return stages.find((s) => s.kind === 'hired');
  return stages.find((s) => s.kind === 'rejected');
}

/** Which decisions make sense from where the candidate stands. */
function outcomesFrom(app: q.ApplicationScope, stages: q.StageRow[]): Outcome[] {
  if (app.stage_kind !== 'new' && app.stage_kind !== 'middle') return [];
  return (['offer', 'hired', 'rejected'] as const).filter((o) => {
    const target = targetOf(stages, o);
    return target && target.id !== app.stage_id;
  });
}

/** The decision form: the bureau only, with the candidate's scores and rank. */
export function decisionPage(db: DB, actor: Actor, applicationId: number) {
  const access = applicationAccess(db, actor, applicationId);
  if (!access.mayDecide) throw new NotFound();
  const stages = q.stagesOfPosting(db, access.posting.id);
  const results = postingResults(db, access, actor.id);
  const row = [...results.ranked, ...results.hidden].find((r) => r.application_id === applicationId);
  return {
    ...access,
    stages,
    outcomes: outcomesFrom(access.app, stages),
    criteria: results.criteria,
    row,
    rankedCount: results.ranked.length,
    // What choosing this candidate asks to justify, criterion by criterion (rationale.ts).
    needs: rationaleNeeds(results, applicationId),
    previous: q.decisionsOfApplication(db, applicationId).map((d) => ({ ...d, criteria: parseStoredRationale(d.criteria_rationale) })),
  };
}

/**
 * A decision's input: the form, the per-criterion texts (criterion id -> text), and for the
 * hire, `reuseOffer`: the offer's decision gives the rationale and the criteria's reasons
 * that the acceptance form does not repeat.
 */
export type DecisionInput = DecisionForm & { criteria?: Map<number, string>; reuseOffer?: boolean };

/** What the panel said when the decision was taken, kept with it (names, not ids). */
function snapshotOf(db: DB, actor: Actor, access: ReturnType<typeof applicationAccess>) {
  // The snapshot records the whole panel's results, whatever the decider could see then.
  const full = postingResults(db, { ...access, member: undefined, orgView: true }, actor.id);
  const all = [...full.ranked, ...full.hidden];
  const row = all.find((r) => r.application_id === access.app.application_id);
  const agg = row?.aggregate ?? null;
  return {
    rank: row?.rank ?? null,
    of: full.ranked.length,
    weightedScore: agg?.weightedScore ?? null,
    evaluations: agg?.evaluations ?? 0,
    recommendations: agg?.recommendations ?? null,
    disagreement: agg?.disagreement ?? false,
    mustHaveFailures: (agg?.mustHaveFailures ?? []).map((id) => full.criteria.find((c) => c.id === id)?.label ?? String(id)),
    criteria: full.criteria.map((c) => {
      const a = agg?.criteria.find((x) => x.criterionId === c.id);
      return { label: c.label, weight: c.weight, mean: a?.mean ?? null, spread: a?.spread ?? null };
    }),
    panel: full.members.map((m) => m.name),
  };
}

export type DecisionSnapshot = ReturnType<typeof snapshotOf>;

export function recordDecision(db: DB, actor: Actor, applicationId: number, input: DecisionInput, ctx: MailContext, form: Form, now = new Date()) {
  return db.transaction(() => {
    const access = applicationAccess(db, actor, applicationId);
    if (!access.mayDecide) throw new NotFound();
    const { app } = access;
    if (app.stage_id !== input.expected_stage_id) throw new StaleDecision();
    const stages = q.stagesOfPosting(db, access.posting.id);
    if (!outcomesFrom(app, stages).includes(input.outcome)) throw new Invalid({ outcome: 'evaluation.errors.outcome' }, form.view, form.locals);
    const target = targetOf(stages, input.outcome) as q.StageRow;
    const results = postingResults(db, access, actor.id);
    let rationale = input.rationale;
    const texts = new Map(input.criteria ?? []);
    let reusedFrom: number | null = null;
    if (input.reuseOffer) {
      const offer = q.latestDecisionOf(db, applicationId, 'offer');
      if (offer) {
        reusedFrom = offer.id;
        if (!rationale) rationale = offer.rationale;
        for (const c of parseStoredRationale(offer.criteria_rationale)) if (!texts.has(c.criterionId)) texts.set(c.criterionId, c.text);
      }
    }
    if (rationale.length < 30) throw new Invalid({ rationale: 'evaluation.errors.rationaleShort' }, form.view, form.locals);
    const needs = input.outcome === 'rejected' ? NO_NEEDS : rationaleNeeds(results, applicationId);
    const missing = missingRationale(needs, texts);
    if (Object.keys(missing).length) throw new Invalid(input.reuseOffer ? { rationale: 'evaluation.errors.offerRationaleIncomplete' } : missing, form.view, form.locals);
    const snapshot = snapshotOf(db, actor, access);
    const id = q.insertDecision(
      db,
      {
        organisationId: access.posting.organisation_id,
        postingId: access.posting.id,
        applicationId,
        outcome: input.outcome,
        from: app.stage_name,
        to: target.name,
        rationale,
        criteria: rationaleList(needs, texts, results.criteria),
        reusedFrom,
        snapshot,
        userId: actor.id,
        name: actor.name,
      },
      nowIso(now),
    );
    const summary = rationale.slice(0, 2000);
    if (input.outcome === 'rejected') {
      const interview = stages.find((s) => s.stage_key === 'interview');
      const afterInterview = interview ? app.stage_position >= interview.position : false;
      // The mail follows what happened (an interview held or not), and a runner-up's may wait for the hire.
      rejectApplication(
        db,
        actor,
        {
          applicationId,
          expectedStageId: app.stage_id,
          reason: afterInterview ? 'after_interview' : 'other',
          reasonText: summary,
          mail: input.send_mail ? 'auto' : 'none',
          viaDecision: true,
          holdUntilFilled: input.timing === 'filled',
        },
        ctx,
        now,
      );
    } else {
      moveApplication(db, actor, { applicationId, stageId: target.id, expectedStageId: app.stage_id, comment: summary, sendMail: input.send_mail, viaDecision: true }, ctx, form, now);
    }
    audit(db, {
      actorUserId: actor.id,
      actorLabel: actor.email,
      action: 'evaluation.decision',
      organisationId: access.posting.organisation_id,
      targetType: 'application',
      targetId: applicationId,
      ip: ctx.ip,
      details: { decision: id, outcome: input.outcome },
    });
    return id;
  })();
}

/** The offer's decision, which the hire carries forward: shown on the acceptance form. */
export function offerRationaleOf(db: DB, applicationId: number) {
  const d = q.latestDecisionOf(db, applicationId, 'offer');
  return d ? { rationale: d.rationale, criteria: parseStoredRationale(d.criteria_rationale) } : undefined;
}

/** The posting's decision record, for the bureau's minutes (printable). */
export function decisionRecord(db: DB, actor: Actor, postingId: number) {
  const access = postingAccess(db, actor, postingId);
  if (!access.orgView) throw new NotFound();
  const rows = q.decisionsOfPosting(db, postingId, actor.id).map((d) => ({ ...d, snapshot: JSON.parse(d.score_snapshot) as DecisionSnapshot, criteria: parseStoredRationale(d.criteria_rationale) }));
  return { ...access, decisions: rows, members: q.panelMembers(db, postingId) };
}
