import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Locale, Translate } from '../../core/i18n.js';
import { userLocale, writerFor } from '../../core/mail-locale.js';
import { enqueueMail } from '../../core/mailer.js';
import { hashPassword, verifyPassword } from '../../core/password.js';
import type { Actor } from '../../core/policy.js';
import { addMinutes, hashToken, newToken } from '../../core/tokens.js';
import { invitationMail, resetMail } from './mails.js';
import * as q from './queries.js';

export const RESET_TTL_MINUTES = 60;
/** Reset mails one address may receive per RESET_WINDOW_MINUTES, whoever asks and from wherever. */
export const RESET_MAILS_PER_ADDRESS = 3;
export const RESET_WINDOW_MINUTES = 60;
export const INVITATION_TTL_DAYS = 7;

type LocalisedMailCtx = { baseUrl: string; translator: (locale: 'fr' | 'en') => Translate };

/**
 * Queues a reset link when the address belongs to an active user that has not had
 * RESET_MAILS_PER_ADDRESS links in the last RESET_WINDOW_MINUTES. The caller answers the same
 * way in every case, so the form reveals neither which addresses have an account nor which
 * are being limited.
 */
export function requestPasswordReset(db: DB, email: string, ctx: LocalisedMailCtx, now = new Date()): void {
  const user = q.userByEmail(db, email);
  if (!user || user.disabled_at) return;
  const { token, hash } = newToken();
  // IMMEDIATE: two processes cannot both read "2 sent" and both send the third and fourth.
  db.transaction(() => {
    if (q.passwordResetsSince(db, user.id, nowIso(addMinutes(now, -RESET_WINDOW_MINUTES))) >= RESET_MAILS_PER_ADDRESS) {
      audit(db, { actorUserId: user.id, actorLabel: user.email, action: 'auth.reset_limited' });
      return;
    }
    q.insertPasswordReset(db, user.id, hash, nowIso(addMinutes(now, RESET_TTL_MINUTES)), nowIso(now));
    const mail = resetMail(ctx.translator(user.locale), { lang: user.locale, name: user.name, url: `${ctx.baseUrl}/reinitialisation/${token}`, minutes: RESET_TTL_MINUTES });
    enqueueMail(db, { template: 'auth.reset', to: user.email, ...mail }, now);
    audit(db, { actorUserId: user.id, actorLabel: user.email, action: 'auth.reset_requested' });
  }).immediate();
}

export function findValidReset(db: DB, token: string, now = new Date()) {
  return q.validPasswordReset(db, hashToken(token), nowIso(now));
}

export async function resetPassword(db: DB, token: string, password: string, cost: number, now = new Date()): Promise<number> {
  const hash = await hashPassword(password, cost);
  return db.transaction(() => {
    // Checked again inside the transaction: a token is single-use even under concurrent posts.
    const reset = q.validPasswordReset(db, hashToken(token), nowIso(now));
    if (!reset) throw new NotFound();
    q.updatePasswordHash(db, reset.user_id, hash, nowIso(now));
    q.useAllPasswordResets(db, reset.user_id, nowIso(now));
    q.deleteSessionsOfUser(db, reset.user_id);
    audit(db, { actorUserId: reset.user_id, action: 'auth.password_reset' });
    return reset.user_id;
  })();
}

export type InvitationInput = {
  email: string;
  name: string;
  /** 'panelist': an outside evaluator seated on one posting's panel by the evaluation feature. */
  role: 'bureau' | 'coordinator' | 'case_manager' | 'charge_de_mission' | 'panelist';
  title: string;
  organisationId: number | null;
  regionId: number | null;
  /** What they are invited to, written in the invitation's language when it depends on it. */
  targetName: string | ((t: Translate, locale: Locale) => string);
};

/**
 * Creates the invitation and queues its mail in one transaction. Authorisation is the caller's.
 * The mail is in the language of the address's account when it has one, else in the
 * inviter's (they chose to write to this person, and likely share their language).
 */
export function createInvitation(db: DB, inviter: Actor, input: InvitationInput, ctx: LocalisedMailCtx & { ip?: string }, now = new Date()): number {
  const { token, hash } = newToken();
  return db.transaction(() => {
    const id = q.insertInvitation(
      db,
      {
        tokenHash: hash,
        email: input.email,
        name: input.name,
        organisationId: input.organisationId,
        regionId: input.regionId,
        role: input.role,
        title: input.title,
        invitedBy: inviter.id,
        expiresAt: nowIso(addMinutes(now, INVITATION_TTL_DAYS * 24 * 60)),
      },
      nowIso(now),
    );
    const { t, locale } = writerFor(db, ctx, { email: input.email, otherwise: userLocale(db, inviter.id) });
    const mail = invitationMail(t, {
      lang: locale,
      name: input.name,
      inviter: inviter.name,
      target: typeof input.targetName === 'function' ? input.targetName(t, locale) : input.targetName,
      role: t(`roles.${input.role}`),
      url: `${ctx.baseUrl}/invitation/${token}`,
      days: INVITATION_TTL_DAYS,
    });
    enqueueMail(db, { template: 'auth.invitation', to: input.email, organisationId: input.organisationId, ...mail }, now);
    audit(db, {
      actorUserId: inviter.id,
      actorLabel: inviter.email,
      action: 'invitation.created',
      organisationId: input.organisationId,
      targetType: 'invitation',
      targetId: id,
      ip: ctx.ip,
      details: { role: input.role, email: input.email },
    });
    return id;
  })();
}

export type InvitationState = 'valid' | 'expired' | 'used' | 'revoked';

export function invitationState(inv: q.InvitationRow, now = new Date()): InvitationState {
  if (inv.revoked_at) return 'revoked';
  if (inv.accepted_at) return 'used';
  if (inv.expires_at <= nowIso(now)) return 'expired';
  return 'valid';
}

export function findInvitation(db: DB, token: string) {
  return q.invitationByTokenHash(db, hashToken(token));
}

/**
 * Accepting creates the account (or, for an address that already has one, adds the role to
 * it without touching its password) and uses up the invitation.
 */
export async function acceptInvitation(
  db: DB,
  token: string,
  input: { name: string; password: string },
  cost: number,
  now = new Date(),
): Promise<{ userId: number; existing: boolean }> {
  const hash = await hashPassword(input.password, cost);
  return db.transaction(() => {
    const inv = q.invitationByTokenHash(db, hashToken(token));
    if (!inv || invitationState(inv, now) !== 'valid') throw new NotFound();
    const existing = q.userByEmail(db, inv.email);
    const at = nowIso(now);
    const userId = existing ? existing.id : q.insertUser(db, { email: inv.email, name: input.name, passwordHash: hash, locale: 'fr' }, at);
    // An account created for an outside panelist has no password until its invitation is used.
    if (existing && !existing.password_hash) q.updatePasswordHash(db, existing.id, hash, at);
    // A panelist's access is their seat on the posting's panel (evaluation), not a membership.
    if (inv.role !== 'panelist') q.insertMembership(db, { userId, organisationId: inv.organisation_id, regionId: inv.region_id, role: inv.role, title: inv.title }, at);
    if (q.markInvitationAccepted(db, inv.id, at).changes !== 1) throw new Conflict();
    audit(db, { actorUserId: userId, actorLabel: inv.email, action: 'invitation.accepted', organisationId: inv.organisation_id, targetType: 'invitation', targetId: inv.id, details: { role: inv.role } });
    return { userId, existing: Boolean(existing?.password_hash) };
  })();
}

export function updateAccount(db: DB, actor: Actor, input: { name: string; locale: 'fr' | 'en' }, now = new Date()): void {
  q.updateProfile(db, actor.id, input.name, input.locale, nowIso(now));
}

export async function changePassword(
  db: DB,
  actor: Actor,
  input: { current: string; password: string },
  cost: number,
  keepSid: string,
  view: { view: string; locals: Record<string, unknown> },
  now = new Date(),
): Promise<void> {
  const user = q.userById(db, actor.id);
  if (!(await verifyPassword(input.current, user?.password_hash, cost))) {
    throw new Invalid({ current: 'auth.errors.currentPassword' }, view.view, view.locals);
  }
  const hash = await hashPassword(input.password, cost);
  db.transaction(() => {
    q.updatePasswordHash(db, actor.id, hash, nowIso(now));
    // Other sessions (another browser, a stolen cookie) end with the old password.
    q.deleteSessionsOfUser(db, actor.id, keepSid);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'auth.password_changed' });
  })();
}

/**
 * The account of a person just hired: created without a password (the invitation sent with
 * the hire lets them choose one), or the existing account of that e-mail.
 */
/** The account of an address, created without a password (in `locale`) when it has none. */
export function ensureAccount(db: DB, input: { email: string; name: string; locale?: Locale }, now = new Date()): number {
  const existing = q.userByEmail(db, input.email);
  if (existing) return existing.id;
  return q.insertUser(db, { email: input.email, name: input.name, passwordHash: null, locale: input.locale ?? 'fr' }, nowIso(now));
}

export function addMembership(db: DB, input: { userId: number; organisationId: number; role: 'coordinator' | 'case_manager'; title: string }, now = new Date()): void {
  q.insertMembership(db, { userId: input.userId, organisationId: input.organisationId, regionId: null, role: input.role, title: input.title }, nowIso(now));
}
