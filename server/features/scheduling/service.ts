import { audit } from '../../core/audit.js';
import { postingLabel, postingLabelShort } from '../../core/posting-label.js';
import { loadActor } from '../../core/auth.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { formatDate, type Locale } from '../../core/i18n.js';
import { writerFor } from '../../core/mail-locale.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import type { Actor } from '../../core/policy.js';
import { hashToken, newToken } from '../../core/tokens.js';
import { issueCandidateLink } from '../applications/service.js';
import { queueCandidateMail } from '../pipeline/candidate-mails.js';
import { applicationAccess, postingAccess } from '../evaluation/service.js';
import { cancelInterview, changeAttendee, rescheduleInterview, scheduleInterview, StaleInterview } from '../interviews/service.js';
import type { InterviewForm } from '../interviews/schemas.js';
import { utcToParis } from '../interviews/time.js';
import { networkRegionIds } from '../network/service.js';
import * as q from './queries.js';
import type { Answer, PollSettings, SlotBatch } from './schemas.js';

export type { MailContext } from '../../core/mail-locale.js';
import type { MailContext } from '../../core/mail-locale.js';
type Form = { view?: string; locals?: Record<string, unknown> };

export const PANEL_LINK_DAYS = 30;
export const DEFAULT_POLL = { quorum: 2, chair_required: 1, deadline_hours: 24 };
const FINAL_STATUSES = new Set(['rejected', 'withdrawn', 'hired']);

/** The slot was booked by someone else a moment ago. */
export class SlotTaken extends Conflict {
  constructor() {
    super('slot taken');
  }
}
/** The slot is no longer offered (removed, past, too close, or without its quorum). */
export class SlotUnavailable extends Conflict {
  constructor() {
    super('slot unavailable');
  }
}
/** Too close to the interview for the candidate to move or cancel it themselves. */
export class DeadlinePassed extends Conflict {
  constructor() {
    super('deadline passed');
  }
}
/** The application is no longer in the running (rejected, withdrawn, hired). */
export class ApplicationClosed extends Conflict {
  constructor() {
    super('application closed');
  }
}
/** Nobody at the CPTS may organise the interview any more (no bureau member left). */
export class NoOrganiser extends Conflict {
  constructor() {
    super('no organiser');
  }
}

// ---- the poll ------------------------------------------------------------------------------

export function pollOf(db: DB, postingId: number): Omit<q.PollRow, 'organisation_id'> {
  return q.pollOf(db, postingId) ?? { posting_id: postingId, ...DEFAULT_POLL };
}

export type SlotView = q.SlotRow & {
  answers: Map<number, Answer>;
  available: q.PanelRow[];
  chairAvailable: boolean;
  quorum: boolean;
  booked: boolean;
};

/** Each open slot with the current panel's answers and whether it has the quorum. */
export function slotViews(db: DB, postingId: number, panel = q.panelOf(db, postingId), poll = pollOf(db, postingId)): SlotView[] {
  const answers = q.currentAnswersOf(db, postingId);
  const chair = panel.find((m) => m.is_chair === 1);
  return q.openSlotsOf(db, postingId).map((slot) => {
    const mine = new Map(answers.filter((a) => a.slot_id === slot.id).map((a) => [a.user_id, a.answer] as const));
    const available = panel.filter((m) => mine.get(m.user_id) === 'yes' || mine.get(m.user_id) === 'maybe');
    const chairAvailable = chair !== undefined && available.some((m) => m.user_id === chair.user_id);
    return {
      ...slot,
      answers: mine,
      available,
      chairAvailable,
      quorum: available.length >= poll.quorum && (poll.chair_required === 0 || chairAvailable),
      booked: slot.booked_invitation_id !== null,
    };
  });
}

/** Slots a candidate may choose now: quorum, free, and far enough ahead. */
function choosable(slots: SlotView[], poll: { deadline_hours: number }, now: Date) {
  const earliest = now.getTime() + poll.deadline_hours * 3600_000;
  return slots.filter((s) => s.quorum && !s.booked && new Date(s.starts_at).getTime() > earliest);
}

function managed(db: DB, actor: Actor, postingId: number) {
  const access = postingAccess(db, actor, postingId);
  if (!access.mayConfigure) throw new NotFound();
  return access;
}

/** The poll as the viewer may see it: the bureau and chargés de mission manage it, panel members answer it. */
export function pollPage(db: DB, actor: Actor, postingId: number, now = new Date()) {
  const access = postingAccess(db, actor, postingId);
  if (!access.mayConfigure && !access.member) throw new NotFound();
  const panel = q.panelOf(db, postingId);
  const poll = pollOf(db, postingId);
  const slots = slotViews(db, postingId, panel, poll).filter((s) => s.ends_at > nowIso(now));
  const invitations = q.invitationsOf(db, postingId);
  // Who booked a slot: named only as the viewer may see the candidate (anonymity), never for someone without access.
  const bookedBy = new Map<number, ReturnType<typeof applicationAccess>['app']>();
  for (const inv of invitations) {
    if (inv.slot_id === null) continue;
    const app = visibleApplication(db, actor, inv.application_id);
    if (app) bookedBy.set(inv.slot_id, app);
  }
  const clashes = access.member ? clashesFor(db, actor, slots) : new Map<number, q.BusyRow[]>();
  let candidates: { invitation: q.InvitationRow | undefined; app: ReturnType<typeof applicationAccess>['app'] }[] = [];
  if (access.mayConfigure) {
    const shortlisted = q.shortlistOf(db, postingId, access.startPosition);
    const ids = [...new Set([...shortlisted, ...invitations.map((i) => i.application_id)])];
    candidates = ids.flatMap((id) => {
      const app = visibleApplication(db, actor, id);
      return app ? [{ invitation: invitations.find((i) => i.application_id === id), app }] : [];
    });
  }
  return {
    ...access,
    panel,
    poll,
    slots,
    bookedBy,
    clashes,
    myAnswers: access.member ? new Map(slots.flatMap((s) => (s.answers.has(actor.id) ? [[s.id, s.answers.get(actor.id) as Answer] as const] : []))) : new Map<number, Answer>(),
    candidates,
    shortlisted: new Set(access.mayConfigure ? q.shortlistOf(db, postingId, access.startPosition) : []),
    choosableCount: choosable(slots, poll, now).length,
  };
}

/** The application as this viewer may see it (masked while anonymous), or undefined without access. */
export function visibleApplication(db: DB, viewer: Actor, applicationId: number) {
  try {
    return applicationAccess(db, viewer, applicationId).app;
  } catch (err) {
    if (err instanceof NotFound) return undefined;
    throw err;
  }
}

/** A member's other interviews and network events overlapping each slot (a warning only). */
export function clashesFor(db: DB, member: Actor, slots: q.SlotRow[]): Map<number, q.BusyRow[]> {
  const out = new Map<number, q.BusyRow[]>();
  if (!slots.length) return out;
  const from = slots.reduce((m, s) => (s.starts_at < m ? s.starts_at : m), slots[0].starts_at);
  const to = slots.reduce((m, s) => (s.ends_at > m ? s.ends_at : m), slots[0].ends_at);
  const busy = q.busyTimesOf(db, member.id, networkRegionIds(db, member), from, to);
  for (const s of slots) {
    const hits = busy.filter((b) => b.starts_at < s.ends_at && b.ends_at > s.starts_at && !(b.kind === 'interview' && b.id === s.booked_interview_id));
    if (hits.length) out.set(s.id, hits);
  }
  return out;
}

function ensurePoll(db: DB, access: ReturnType<typeof postingAccess>, now: string) {
  if (q.pollOf(db, access.posting.id)) return;
  q.upsertPoll(db, { postingId: access.posting.id, organisationId: access.posting.organisation_id, quorum: DEFAULT_POLL.quorum, chairRequired: true, deadlineHours: DEFAULT_POLL.deadline_hours }, now);
}

/** Proposes a batch of slots; none in the past, none overlapping an open slot of the poll. */
export function addSlots(db: DB, actor: Actor, postingId: number, batch: SlotBatch, form: Form, now = new Date()) {
  return db.transaction(() => {
    const access = managed(db, actor, postingId);
    if (batch.slots.some((s) => s.start.getTime() <= now.getTime())) throw new Invalid({ dates: 'scheduling.errors.past' }, form.view, form.locals);
    const existing = q.openSlotsOf(db, postingId);
    const overlaps = batch.slots.some((s) => existing.some((e) => e.starts_at < nowIso(s.end) && e.ends_at > nowIso(s.start)));
    if (overlaps) throw new Invalid({ dates: 'scheduling.errors.overlap' }, form.view, form.locals);
    const at = nowIso(now);
    ensurePoll(db, access, at);
    for (const s of batch.slots) {
      q.insertSlot(
        db,
        {
          organisationId: access.posting.organisation_id,
          postingId,
          userId: actor.id,
          startsAt: nowIso(s.start),
          endsAt: nowIso(s.end),
          duration: batch.duration,
          mode: batch.mode,
          location: batch.mode === 'place' ? batch.location : '',
          videoUrl: batch.mode === 'video' ? batch.video_url : '',
        },
        at,
      );
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'scheduling.slots_added', organisationId: access.posting.organisation_id, targetType: 'posting', targetId: postingId, details: { slots: batch.slots.length } });
    return batch.slots.length;
  })();
}

export function updatePollSettings(db: DB, actor: Actor, postingId: number, input: PollSettings, form: Form, now = new Date()) {
  db.transaction(() => {
    const access = managed(db, actor, postingId);
    const panel = q.panelOf(db, postingId);
    if (panel.length && input.quorum > panel.length) throw new Invalid({ quorum: 'scheduling.errors.quorumTooHigh' }, form.view, form.locals);
    q.upsertPoll(db, { postingId, organisationId: access.posting.organisation_id, quorum: input.quorum, chairRequired: input.chair_required, deadlineHours: input.deadline_hours }, nowIso(now));
  })();
}

/**
 * A panel member's answers; only open slots to come of this posting may be answered. On a slot
 * a candidate already booked, the answer also changes the interview: a member who becomes
 * available joins it (and is invited), one who no longer is leaves it (and gets a cancellation).
 * Returns the booked slots whose interview lost its quorum that way (the bureau is told on the page).
 */
export function saveAnswers(db: DB, member: Actor, postingId: number, answers: Map<number, Answer>, form: Form, ctx?: MailContext, now = new Date()): number[] {
  return db.transaction(() => {
    const access = postingAccess(db, member, postingId);
    if (!access.member) throw new NotFound();
    const open = new Map(q.openSlotsOf(db, postingId).map((s) => [s.id, s]));
    for (const slotId of answers.keys()) {
      const slot = open.get(slotId);
      if (!slot || slot.ends_at <= nowIso(now)) throw new Invalid({ _form: 'scheduling.errors.slotGone' }, form.view, form.locals, 409);
    }
    const at = nowIso(now);
    const previous = new Map(q.currentAnswersOf(db, postingId).filter((a) => a.user_id === member.id).map((a) => [a.slot_id, a.answer]));
    for (const [slotId, answer] of answers) q.upsertAnswer(db, slotId, member.id, answer, at);
    const lostQuorum: number[] = [];
    if (!ctx) return lostQuorum;
    const attends = (answer: string | undefined) => answer === 'yes' || answer === 'maybe';
    const views = new Map(slotViews(db, postingId, undefined, pollOf(db, postingId)).map((v) => [v.id, v]));
    for (const [slotId, answer] of answers) {
      const slot = open.get(slotId)!;
      if (slot.booked_interview_id === null || slot.booked_invitation_id === null || attends(previous.get(slotId)) === attends(answer)) continue;
      if (q.interviewStatus(db, slot.booked_interview_id) !== 'scheduled') continue;
      const organiser = organiserFor(db, q.invitationById(db, slot.booked_invitation_id) as q.InvitationRow);
      if (!changeAttendee(db, organiser, slot.booked_interview_id, member.id, attends(answer), ctx, now) || attends(answer) || views.get(slotId)?.quorum) continue;
      // The interview keeps its time, but its panel no longer has the quorum: the organiser decides.
      lostQuorum.push(slotId);
      const { t, locale } = writerFor(db, ctx, { userId: organiser.id });
      const mail = simpleMail({
        subject: t('scheduling.mail.quorumLost.subject', { posting: postingLabel(access.posting, t, locale), when: slotWhen(slot, locale) }),
        greeting: t('interviews.mail.greeting', { name: organiser.name }),
        paragraphs: [t('scheduling.mail.quorumLost.body', { member: member.name, posting: postingLabel(access.posting, t, locale), when: slotWhen(slot, locale) })],
        action: { label: t('scheduling.mail.quorumLost.action'), url: `${ctx.baseUrl}/recrutement/offres/${postingId}/disponibilites` },
        footer: t('mail.footer'),
        lang: locale,
      });
      enqueueMail(db, { template: 'scheduling.quorum_lost', to: organiser.email, organisationId: access.posting.organisation_id, ...mail }, now);
    }
    return lostQuorum;
  })();
}

const slotWhen = (slot: { starts_at: string; ends_at: string }, locale: Locale) => `${formatDate(slot.starts_at, locale, true)}–${utcToParis(new Date(slot.ends_at)).time}`;

/** Mails each panel member a signed link to answer the poll without logging in (earlier links stop working). */
export function sendPollLinks(db: DB, actor: Actor, postingId: number, ctx: MailContext, form: Form, now = new Date()) {
  return db.transaction(() => {
    const access = managed(db, actor, postingId);
    const slots = q.openSlotsOf(db, postingId).filter((s) => s.starts_at > nowIso(now));
    if (!slots.length) throw new Invalid({ _form: 'scheduling.errors.noSlots' }, form.view, form.locals, 409);
    const panel = q.panelOf(db, postingId);
    if (!panel.length) throw new Invalid({ _form: 'scheduling.errors.noPanel' }, form.view, form.locals, 409);
    const at = nowIso(now);
    const expires = new Date(now.getTime() + PANEL_LINK_DAYS * 86_400_000);
    for (const m of panel) {
      q.revokePanelLinksOf(db, postingId, m.user_id, at);
      const { token, hash } = newToken();
      q.insertPanelLink(db, { organisationId: access.posting.organisation_id, postingId, userId: m.user_id, hash, expiresAt: nowIso(expires) }, at);
      const { t, locale } = writerFor(db, ctx, { userId: m.user_id });
      const mail = simpleMail({
        subject: t('scheduling.mail.poll.subject', { posting: postingLabel(access.posting, t, locale) }),
        greeting: t('interviews.mail.greeting', { name: m.name }),
        paragraphs: [
          t('scheduling.mail.poll.body', { posting: postingLabel(access.posting, t, locale), org: access.posting.org_name, n: slots.length }),
          ...slots.slice(0, 30).map((s) => `– ${slotWhen(s, locale)}`),
          t('scheduling.mail.poll.expiry', { date: formatDate(nowIso(expires), locale) }),
        ],
        action: { label: t('scheduling.mail.poll.action'), url: `${ctx.baseUrl}/disponibilites/${token}` },
        footer: t('mail.footer'),
        lang: locale,
      });
      enqueueMail(db, { template: 'scheduling.poll', to: m.email, organisationId: access.posting.organisation_id, ...mail }, now);
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'scheduling.poll_sent', organisationId: access.posting.organisation_id, targetType: 'posting', targetId: postingId, ip: ctx.ip, details: { members: panel.length } });
    return panel.length;
  })();
}

export type PanelLinkState = { state: 'valid'; member: Actor; postingId: number } | { state: 'unknown' | 'expired' | 'revoked' | 'removed' };

/** A signed poll link: unknown (tampered), expired, replaced by a newer one, or its member taken off the panel. */
export function resolvePanelLink(db: DB, token: string, now = new Date()): PanelLinkState {
  const link = q.panelLinkByHash(db, hashToken(token));
  if (!link) return { state: 'unknown' };
  if (link.revoked_at) return { state: 'revoked' };
  if (link.expires_at <= nowIso(now)) return { state: 'expired' };
  const member = loadActor(db, link.user_id);
  if (!member || !q.panelOf(db, link.posting_id).some((m) => m.user_id === member.id)) return { state: 'removed' };
  return { state: 'valid', member, postingId: link.posting_id };
}

/** Takes a slot off the poll; a candidate booked on it has the interview cancelled, is told, and may choose again. */
export function removeSlot(db: DB, actor: Actor, postingId: number, slotId: number, ctx: MailContext, now = new Date()) {
  return db.transaction(() => {
    const access = managed(db, actor, postingId);
    const slot = q.slotById(db, slotId);
    if (!slot || slot.posting_id !== postingId || slot.status !== 'open') throw new NotFound();
    q.removeSlot(db, slot.id, nowIso(now));
    let told = false;
    if (slot.booked_invitation_id !== null) {
      const invitation = q.invitationById(db, slot.booked_invitation_id) as q.InvitationRow;
      if (slot.booked_interview_id !== null && q.interviewStatus(db, slot.booked_interview_id) === 'scheduled') {
        cancelInterview(db, actor, slot.booked_interview_id, ctx, now);
      }
      q.deleteBooking(db, slot.id);
      const app = applicationAccess(db, actor, invitation.application_id).app;
      if (!FINAL_STATUSES.has(invitation.application_status)) {
        const token = issueCandidateLink(db, invitation.application_id, now);
        const { t, locale } = writerFor(db, ctx, { applicationId: invitation.application_id });
        const mail = simpleMail({
          subject: t('scheduling.mail.slotRemoved.subject', { posting: postingLabel(access.posting, t, locale) }),
          greeting: t('interviews.mail.greeting', { name: app.full_name }),
          paragraphs: [t('scheduling.mail.slotRemoved.body', { posting: postingLabel(access.posting, t, locale), org: access.posting.org_name, when: slotWhen(slot, locale) })],
          action: { label: t('scheduling.mail.invite.action'), url: `${ctx.baseUrl}/candidature/${token}/entretien` },
          footer: t('mail.footer'),
          lang: locale,
        });
        // A mail to the candidate: it waits in its undo window (pipeline/candidate-mails.ts).
        queueCandidateMail(
          db,
          { applicationId: app.application_id, key: 'scheduling_slot_removed', actor: { id: actor.id, name: actor.name }, mail: { template: 'scheduling.slot_removed', to: app.email, organisationId: access.posting.organisation_id, applicationIds: [app.application_id], ...mail } },
          now,
        );
        told = true;
      }
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'scheduling.slot_removed', organisationId: access.posting.organisation_id, targetType: 'posting', targetId: postingId, ip: ctx.ip, details: { slot: slot.id, booked: slot.booked_invitation_id !== null } });
    return { told };
  })();
}

/** Invites shortlisted candidates to choose a slot through their private link. */
export function inviteCandidates(db: DB, actor: Actor, postingId: number, applicationIds: number[], ctx: MailContext, form: Form, now = new Date()) {
  return db.transaction(() => {
    const access = managed(db, actor, postingId);
    const shortlist = new Set(q.shortlistOf(db, postingId, access.startPosition));
    if (applicationIds.some((id) => !shortlist.has(id))) throw new Invalid({ applications: 'errors.choice' }, form.view, form.locals);
    const poll = pollOf(db, postingId);
    if (!choosable(slotViews(db, postingId, undefined, poll), poll, now).length) throw new Invalid({ _form: 'scheduling.errors.noSlotWithQuorum' }, form.view, form.locals, 409);
    const at = nowIso(now);
    let invited = 0;
    for (const id of [...new Set(applicationIds)]) {
      const existing = q.invitationOfApplication(db, id);
      if (existing && existing.posting_id === postingId && existing.slot_id !== null) continue;
      q.insertInvitation(db, { organisationId: access.posting.organisation_id, postingId, applicationId: id, invitedBy: actor.id }, at);
      const app = applicationAccess(db, actor, id).app;
      const token = issueCandidateLink(db, id, now);
      const { t, locale } = writerFor(db, ctx, { applicationId: id });
      const mail = simpleMail({
        subject: t('scheduling.mail.invite.subject', { posting: postingLabelShort(access.posting, t) }),
        greeting: t('interviews.mail.greeting', { name: app.full_name }),
        paragraphs: [
          t('scheduling.mail.invite.body', { posting: postingLabelShort(access.posting, t), org: access.posting.org_name }),
          t('scheduling.mail.invite.deadline', { hours: poll.deadline_hours }),
        ],
        action: { label: t('scheduling.mail.invite.action'), url: `${ctx.baseUrl}/candidature/${token}/entretien` },
        footer: t('mail.footer'),
        lang: locale,
      });
      // A mail to the candidate: it waits in its undo window (pipeline/candidate-mails.ts).
      queueCandidateMail(
        db,
        { applicationId: id, key: 'scheduling_invite', actor: { id: actor.id, name: actor.name }, mail: { template: 'scheduling.invite', to: app.email, organisationId: access.posting.organisation_id, applicationIds: [id], ...mail } },
        now,
      );
      invited++;
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'scheduling.candidates_invited', organisationId: access.posting.organisation_id, targetType: 'posting', targetId: postingId, ip: ctx.ip, details: { invited } });
    return invited;
  })();
}

// ---- the candidate's side (through their private link) -------------------------------------

export type CandidateScheduling = {
  invitation: q.InvitationRow;
  closed: boolean;
  booked: q.SlotRow | undefined;
  /** the booked interview may still be moved or cancelled by the candidate */
  mayChange: boolean;
  slots: SlotView[];
  deadlineHours: number;
};

/** What the candidate's page shows: their booking, or the slots they may choose. Undefined when not invited. */
export function candidateScheduling(db: DB, applicationId: number, now = new Date()): CandidateScheduling | undefined {
  const invitation = q.invitationOfApplication(db, applicationId);
  if (!invitation) return undefined;
  const poll = pollOf(db, invitation.posting_id);
  const closed = FINAL_STATUSES.has(invitation.application_status);
  const booked = invitation.slot_id !== null ? q.slotById(db, invitation.slot_id) : undefined;
  const earliest = now.getTime() + poll.deadline_hours * 3600_000;
  return {
    invitation,
    closed,
    booked,
    mayChange: !closed && booked !== undefined && new Date(booked.starts_at).getTime() > earliest,
    slots: closed ? [] : choosable(slotViews(db, invitation.posting_id, undefined, poll), poll, now),
    deadlineHours: poll.deadline_hours,
  };
}

/**
 * The interview is organised in the name of the bureau member who invited the candidate, or
 * of another of the CPTS's bureau if they have left (the interviews feature checks the role).
 */
function organiserFor(db: DB, invitation: q.InvitationRow): Actor {
  const ids = [...new Set([...(invitation.invited_by ? [invitation.invited_by] : []), ...q.bureauMemberIds(db, invitation.organisation_id)])];
  for (const id of ids) {
    const actor = loadActor(db, id);
    if (actor && postingAccessOrUndefined(db, actor, invitation.posting_id)?.mayConfigure) return actor;
  }
  throw new NoOrganiser();
}

function postingAccessOrUndefined(db: DB, actor: Actor, postingId: number) {
  try {
    return postingAccess(db, actor, postingId);
  } catch (err) {
    if (err instanceof NotFound) return undefined;
    throw err;
  }
}

function interviewInput(slot: SlotView, expectedSequence?: number): InterviewForm {
  const start = new Date(slot.starts_at);
  const end = new Date(slot.ends_at);
  const s = utcToParis(start);
  return {
    date: s.date,
    start_time: s.time,
    end_time: utcToParis(end).time,
    mode: slot.mode,
    location: slot.location,
    video_url: slot.video_url,
    attendees: slot.available.map((m) => m.user_id),
    expected_sequence: expectedSequence,
    start,
    end,
  };
}

const isPrimaryKeyClash = (err: unknown) => (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (err as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * The candidate chooses (or moves to) a slot. IMMEDIATE transaction: the write lock is taken
 * before anything is read, so two processes serialise; the slot's primary key in
 * scheduling_bookings refuses a second booking whatever happens. The slot becomes an interview
 * of the interviews feature (invitations with .ics to the candidate and the available panel).
 */
export function chooseSlot(db: DB, applicationId: number, slotId: number, ctx: MailContext, now = new Date()) {
  return db
    .transaction(() => {
      const invitation = q.invitationOfApplication(db, applicationId);
      if (!invitation) throw new NotFound();
      if (FINAL_STATUSES.has(invitation.application_status)) throw new ApplicationClosed();
      const poll = pollOf(db, invitation.posting_id);
      const views = slotViews(db, invitation.posting_id, undefined, poll);
      const target = views.find((s) => s.id === slotId);
      if (invitation.slot_id === slotId) return { changed: false };
      if (target?.booked) throw new SlotTaken();
      if (!target || !choosable([target], poll, now).length) throw new SlotUnavailable();
      q.deleteStaleBookings(db, target.id, invitation.id);
      const organiser = organiserFor(db, invitation);
      const at = nowIso(now);
      let interviewId: number | undefined;
      if (invitation.slot_id !== null) {
        const current = q.slotById(db, invitation.slot_id);
        if (current && new Date(current.starts_at).getTime() <= now.getTime() + poll.deadline_hours * 3600_000) throw new DeadlinePassed();
        q.deleteBooking(db, invitation.slot_id);
        if (invitation.interview_id !== null && q.interviewStatus(db, invitation.interview_id) === 'scheduled') {
          try {
            rescheduleInterview(db, organiser, invitation.interview_id, interviewInput(target), ctx, {}, now);
            interviewId = invitation.interview_id;
          } catch (err) {
            if (!(err instanceof StaleInterview)) throw err;
          }
        }
      }
      try {
        q.insertBooking(db, target.id, invitation.id, at);
      } catch (err) {
        if (isPrimaryKeyClash(err)) throw new SlotTaken();
        throw err;
      }
      interviewId ??= scheduleInterview(db, organiser, applicationId, interviewInput(target), ctx, {}, now).id;
      q.setBookingInterview(db, target.id, interviewId);
      audit(db, {
        actorUserId: null,
        actorLabel: 'candidat·e',
        action: invitation.slot_id !== null ? 'scheduling.slot_moved' : 'scheduling.slot_booked',
        organisationId: invitation.organisation_id,
        targetType: 'application',
        targetId: applicationId,
        ip: ctx.ip,
        details: { slot: target.id, interview: interviewId },
      });
      return { changed: true };
    })
    .immediate();
}

/** The candidate cancels their interview before the deadline; they may choose another slot later. */
export function cancelBooking(db: DB, applicationId: number, ctx: MailContext, now = new Date()) {
  db.transaction(() => {
    const invitation = q.invitationOfApplication(db, applicationId);
    if (!invitation || invitation.slot_id === null) throw new NotFound();
    if (FINAL_STATUSES.has(invitation.application_status)) throw new ApplicationClosed();
    const poll = pollOf(db, invitation.posting_id);
    const slot = q.slotById(db, invitation.slot_id);
    if (slot && new Date(slot.starts_at).getTime() <= now.getTime() + poll.deadline_hours * 3600_000) throw new DeadlinePassed();
    if (invitation.interview_id !== null && q.interviewStatus(db, invitation.interview_id) === 'scheduled') {
      cancelInterview(db, organiserFor(db, invitation), invitation.interview_id, ctx, now);
    }
    q.deleteBooking(db, invitation.slot_id);
    audit(db, { actorUserId: null, actorLabel: 'candidat·e', action: 'scheduling.slot_cancelled', organisationId: invitation.organisation_id, targetType: 'application', targetId: applicationId, ip: ctx.ip, details: { slot: invitation.slot_id } });
  }).immediate();
}
