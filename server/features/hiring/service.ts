/**
 * Offers and hires. An offer is recorded for a candidate in "Proposition"; its outcome is
 * either a refusal (the candidate stays, a new offer can follow) or the hire, which in one
 * transaction: records the decision and moves the candidate to Recruté(e), fills the posting
 * (unless several posts are open), gives the person a staff account in the CPTS with an
 * invitation to activate it, and starts their onboarding plan from the start date.
 */
import { applicationLocale, type MailContext } from '../../core/mail-locale.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { can, type Actor } from '../../core/policy.js';
import { addMembership, createInvitation, ensureAccount } from '../auth/service.js';
import { offerRationaleOf, recordDecision } from '../evaluation/decisions.js';
import { transitionPosting } from '../jobs/service.js';
import { createPlanForHire } from '../onboarding/service.js';
import { rejectApplication, releaseHeldRejections } from '../pipeline/service.js';
import * as q from './queries.js';
import type { OfferInput, OutcomeInput } from './schemas.js';

export type HireContext = MailContext;
/** The language of what the CPTS's own records say (membership titles). */
const CPTS_RECORDS = 'fr' as const;
type Form = { view: string; locals: Record<string, unknown> };

/** The application, when the actor may make offers for it (the CPTS's bureau); else 404. */
export function hireScope(db: DB, actor: Actor, applicationId: number) {
  const scope = q.hireScope(db, applicationId, actor.id);
  if (!scope || !can(actor, 'evaluation.decide', { id: scope.organisation_id, region_id: scope.region_id })) throw new NotFound();
  return scope;
}

export function offerPage(db: DB, actor: Actor, applicationId: number) {
  const scope = hireScope(db, actor, applicationId);
  const offers = q.offersOf(db, applicationId);
  return {
    scope,
    offers,
    pending: offers.find((o) => o.status === 'pending'),
    accepted: offers.find((o) => o.status === 'accepted'),
    mayOffer: scope.stage_key === 'offer' && !offers.some((o) => o.status === 'pending'),
    offerRationale: offerRationaleOf(db, applicationId),
    staffRole: staffRoleOf(scope.posting_kind),
  };
}

/** Which staff role the hire gets in the CPTS; an "other" post has no Coordo role of its own. */
export function staffRoleOf(kind: q.HireScope['posting_kind']): 'coordinator' | 'case_manager' | null {
  return kind === 'coordinator' ? 'coordinator' : kind === 'case_manager' ? 'case_manager' : null;
}

export function makeOffer(db: DB, actor: Actor, applicationId: number, input: OfferInput, form: Form, now = new Date()): number {
  return db.transaction(() => {
    const scope = hireScope(db, actor, applicationId);
    if (scope.stage_key !== 'offer') throw new Invalid({ _form: 'hiring.errors.notInOffer' }, form.view, form.locals);
    if (q.pendingOffer(db, applicationId)) throw new Invalid({ _form: 'hiring.errors.pendingExists' }, form.view, form.locals);
    const id = q.insertOffer(
      db,
      {
        organisationId: scope.organisation_id,
        postingId: scope.posting_id,
        applicationId,
        startDate: input.start_date,
        contractType: input.contract_type,
        duration: input.contract_duration_months,
        fte: input.fte_percent,
        salary: input.salary_gross_yearly,
        userId: actor.id,
      },
      nowIso(now),
    );
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'hiring.offer_made', organisationId: scope.organisation_id, targetType: 'application', targetId: applicationId, details: { offer: id } });
    return id;
  })();
}

export type OutcomeResult = { outcome: 'declined' } | { outcome: 'accepted'; planId: number | null; farStartDate: boolean; postingFilled: boolean; releasedMails: number };

export function recordOutcome(db: DB, actor: Actor, applicationId: number, input: OutcomeInput, ctx: HireContext, form: Form, now = new Date()): OutcomeResult {
  return db.transaction((): OutcomeResult => {
    const scope = hireScope(db, actor, applicationId);
    const offer = q.pendingOffer(db, applicationId);
    if (!offer || offer.id !== input.offer_id) throw new Conflict('offer already answered');
    const at = nowIso(now);
    if (input.outcome === 'declined') {
      q.declineOffer(db, offer.id, input.decline_reason, input.decline_text, actor.id, at);
      audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'hiring.offer_declined', organisationId: scope.organisation_id, targetType: 'application', targetId: applicationId, details: { offer: offer.id, reason: input.decline_reason } });
      return { outcome: 'declined' };
    }

    // The hire is a decision like the others: rationale, who, when, the panel's scores.
    // Left empty, the rationale (and its reasons per criterion) is the offer's own decision's.
    recordDecision(db, actor, applicationId, { outcome: 'hired', rationale: input.rationale, expected_stage_id: scope.stage_id, send_mail: false, timing: 'now', reuseOffer: true }, ctx, form, now);

    let postingFilled = false;
    if (!input.keep_open && (scope.posting_status === 'published' || scope.posting_status === 'closed')) {
      transitionPosting(db, actor, scope.posting_id, 'fill', () => form, now);
      postingFilled = true;
    }

    const role = staffRoleOf(scope.posting_kind);
    let userId: number | null = null;
    let plan: { planId: number; farStartDate: boolean } | null = null;
    if (role) {
      const name = `${scope.first_name} ${scope.last_name}`;
      // The hired candidate's account speaks the language they applied in; the membership's
      // title is the CPTS's record, in French like the other titles it writes.
      userId = ensureAccount(db, { email: scope.candidate_email, name, locale: applicationLocale(db, applicationId) }, now);
      addMembership(db, { userId, organisationId: scope.organisation_id, role, title: ctx.translator(CPTS_RECORDS)(`roles.${role}`) }, now);
      createInvitation(
        db,
        actor,
        { email: scope.candidate_email, name, role, title: '', organisationId: scope.organisation_id, regionId: null, targetName: scope.org_name },
        ctx,
        now,
      );
      plan = createPlanForHire(db, actor, { organisationId: scope.organisation_id, userId, kind: role, startDate: offer.start_date }, now, { baseUrl: ctx.baseUrl, translator: ctx.translator });
    }
    q.acceptOffer(db, offer.id, userId, plan?.planId ?? null, actor.id, at);
    // The runner-ups' rejections held "to send when the post is filled" leave now.
    const releasedMails = releaseHeldRejections(db, scope.posting_id, ctx.translator, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'hiring.hired', organisationId: scope.organisation_id, targetType: 'application', targetId: applicationId, ip: ctx.ip, details: { offer: offer.id, user: userId, plan: plan?.planId ?? null } });
    return { outcome: 'accepted', planId: plan?.planId ?? null, farStartDate: plan?.farStartDate ?? false, postingFilled, releasedMails };
  })();
}

/** After a hire: the other candidates still in the running, to close the process. */
export function closingPage(db: DB, actor: Actor, applicationId: number) {
  const scope = hireScope(db, actor, applicationId);
  if (scope.stage_kind !== 'hired') throw new NotFound();
  return { scope, others: q.openApplicationsOfPosting(db, scope.posting_id, applicationId, actor.id) };
}

/**
 * Rejects the chosen other candidates, all or nothing, each with the matching mail when asked.
 * The hire decision is their reason, so no separate rationale is asked for each.
 */
export function rejectOthers(db: DB, actor: Actor, applicationId: number, input: { ids: number[]; sendMail: boolean }, ctx: HireContext, now = new Date()): number {
  return db.transaction(() => {
    const { scope, others } = closingPage(db, actor, applicationId);
    const byId = new Map(others.map((o) => [o.application_id, o]));
    for (const id of input.ids) if (!byId.has(id)) throw new Conflict('not an open application of this posting');
    for (const id of input.ids) {
      const other = byId.get(id)!;
      rejectApplication(
        db,
        actor,
        { applicationId: id, expectedStageId: other.stage_id, reason: 'other_candidate', reasonText: '', mail: input.sendMail ? 'auto' : 'none', viaDecision: true },
        ctx,
        now,
      );
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'hiring.others_rejected', organisationId: scope.organisation_id, targetType: 'posting', targetId: scope.posting_id, ip: ctx.ip, details: { applications: input.ids, mail: input.sendMail } });
    return input.ids.length;
  })();
}
