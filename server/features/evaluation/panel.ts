import { audit } from '../../core/audit.js';
import { postingLabel } from '../../core/posting-label.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { userLocale } from '../../core/mail-locale.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { createInvitation } from '../auth/service.js';
import { postingAccess, requireConfigure, type Form, type MailContext, type PostingAccess } from './access.js';
import * as q from './queries.js';

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
    // An account created here speaks the inviter's language (its invitation and mails too) until its owner chooses.
    const userId = existing?.id ?? q.insertAccountWithoutPassword(db, input.email, input.name, userLocale(db, actor.id), at);
    seat(db, actor, access, userId, eligible ? eligible.kind : 'external', at);
    const hasPassword = existing ? Boolean(q.userById(db, existing.id)?.has_password) : false;
    if (!hasPassword) {
      createInvitation(
        db,
        actor,
        { email: input.email, name: input.name, role: 'panelist', title: '', organisationId: access.posting.organisation_id, regionId: null, targetName: (t, locale) => `${postingLabel(access.posting, t, locale)} (${access.posting.org_name})` },
        ctx,
        now,
      );
    }
    auditPanel(db, actor, access, 'evaluation.panel_invited', ctx.ip, { email: input.email, invited: !hasPassword });
    return { invited: !hasPassword };
  })();
}
