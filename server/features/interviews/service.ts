import crypto from 'node:crypto';
import { postingLabel, postingLabelShort } from '../../core/posting-label.js';
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { formatDate, type Locale, type Translate } from '../../core/i18n.js';
import { writerFor, type Recipient } from '../../core/mail-locale.js';
import { icsContentType } from '../../core/ics.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import type { Actor } from '../../core/policy.js';
import { applicationAccess, systemApplicationAccess } from '../evaluation/service.js';
import { displayName, presentIdentity } from '../pipeline/anonymity.js';
import { queueCandidateMail } from '../pipeline/candidate-mails.js';
import { identityFor } from '../pipeline/service.js';
import { candidateReplyTo } from '../jobs/service.js';
import { interviewIcs } from './ics.js';
import * as q from './queries.js';
import type { InterviewForm } from './schemas.js';

export type { MailContext } from '../../core/mail-locale.js';
import type { MailContext } from '../../core/mail-locale.js';
type Form = { view?: string; locals?: Record<string, unknown> };
/** A recipient: the candidate (no user id) or a panel member (their account's language). */
type Person = { name: string; email: string; userId?: number };

/** Someone else changed or cancelled the interview since the form was opened. */
export class StaleInterview extends Conflict {
  constructor() {
    super('stale interview form');
  }
}

export function interviewsPage(db: DB, actor: Actor, applicationId: number) {
  const access = applicationAccess(db, actor, applicationId);
  const interviews = q.interviewsOfApplication(db, applicationId);
  const attendees = q.attendeesOf(
    db,
    interviews.map((i) => i.id),
  );
  const { panelMembers } = access;
  return {
    ...access,
    panel: panelMembers,
    interviews: interviews.map((i) => ({ ...i, attendees: attendees.filter((a) => a.interview_id === i.id) })),
  };
}

function managed(db: DB, actor: Actor, applicationId: number) {
  const access = applicationAccess(db, actor, applicationId);
  if (!access.mayConfigure) throw new NotFound();
  return access;
}

function checkInput(access: ReturnType<typeof applicationAccess>, input: InterviewForm, form: Form, now: Date) {
  if (input.start.getTime() <= now.getTime()) throw new Invalid({ date: 'interviews.errors.past' }, form.view, form.locals);
  const unknown = input.attendees.filter((id) => !access.panelMembers.some((m) => m.user_id === id));
  if (unknown.length) throw new Invalid({ attendees: 'errors.choice' }, form.view, form.locals);
}

const fields = (input: InterviewForm): q.InterviewInput => ({
  startsAt: nowIso(input.start),
  endsAt: nowIso(input.end),
  duration: Math.round((input.end.getTime() - input.start.getTime()) / 60_000),
  mode: input.mode,
  location: input.mode === 'place' ? input.location : '',
  videoUrl: input.mode === 'video' ? input.video_url : '',
});

/**
 * Queues the invitation (or cancellation) to the candidate and each attending panel member,
 * each written in their own language (the candidate's application's, a member's account's):
 * subject, text, date and the calendar file's texts.
 */
function sendInvitations(
  db: DB,
  ctx: MailContext,
  access: ReturnType<typeof applicationAccess>,
  interview: q.InterviewRow,
  recipients: { candidate: Person; panel: Person[] },
  method: 'REQUEST' | 'CANCEL',
  kind: 'scheduled' | 'rescheduled' | 'cancelled',
  now: Date,
  by: { actor?: Actor; reason?: string; panelOnly?: boolean; ended?: EndedBy },
) {
  const where = interview.mode === 'video' ? interview.video_url : interview.location;
  const everyone = [recipients.candidate, ...recipients.panel];
  // The panel screens: while the application is masked its copy names "Candidat·e n°5" and
  // does not list the candidate among the attendees (the anonymity rule).
  const identity = identityFor(db, access.app.application_id, null);
  const masked = Boolean(identity.masked);
  const calendar = (t: Translate, locale: Locale, organizer: Person, attendees: Person[], name: string) => {
    const ics = interviewIcs({
      uid: interview.uid,
      sequence: interview.sequence,
      method,
      start: new Date(interview.starts_at),
      durationMinutes: interview.duration_minutes,
      title: t('interviews.ics.title', { posting: postingLabelShort(access.posting, t), org: access.posting.org_name }),
      description: t('interviews.ics.description', { name, posting: postingLabel(access.posting, t, locale), org: access.posting.org_name, where }),
      location: where,
      url: interview.mode === 'video' ? interview.video_url : undefined,
      organizer,
      attendees,
    });
    return [{ filename: t(method === 'CANCEL' ? 'interviews.ics.cancelFile' : 'interviews.ics.file'), contentType: icsContentType(method), content: ics }];
  };
  // The panel's copy lists everyone (but a masked candidate); the candidate's lists only them,
  // organised by the CPTS's contact (where their answers go), so it discloses no panel member's address.
  const replyTo = candidateReplyTo(db, access.posting.id);
  // The reason goes to the panel through the anonymity rule (it may name the candidate).
  const panelReason = (t: Translate) => (by.reason ? presentIdentity(t, identity).redact(by.reason) : '');
  for (const person of by.panelOnly ? recipients.panel : everyone) {
    const isCandidate = person === recipients.candidate;
    const { t, locale } = writerFor(db, ctx, isCandidate ? { applicationId: access.app.application_id } : memberOf(person));
    const when = formatDate(interview.starts_at, locale, true);
    const panelName = displayName(t, identity);
    const attachments = isCandidate
      ? calendar(t, locale, { name: access.posting.org_name, email: replyTo ?? interview.organizer_email }, [recipients.candidate], recipients.candidate.name)
      : calendar(t, locale, { name: interview.organizer_name, email: interview.organizer_email }, masked ? recipients.panel : everyone, panelName);
    const reason = isCandidate ? (by.reason ?? '') : panelReason(t);
    const details = [
      t('interviews.mail.when', { when, minutes: interview.duration_minutes }),
      t(interview.mode === 'video' ? 'interviews.mail.video' : 'interviews.mail.place', { where }),
    ];
    const mail = simpleMail({
      subject: t(`interviews.mail.${kind}.subject`, { posting: isCandidate ? postingLabelShort(access.posting, t) : postingLabel(access.posting, t, locale), when }),
      greeting: t('interviews.mail.greeting', { name: person.name }),
      paragraphs: [
        t(isCandidate ? (by.ended ? `interviews.mail.ended.candidate.${by.ended}` : `interviews.mail.${kind}.candidate`) : `interviews.mail.${kind}.panel`, { posting: isCandidate ? postingLabelShort(access.posting, t) : postingLabel(access.posting, t, locale), org: access.posting.org_name, name: isCandidate ? recipients.candidate.name : panelName, when }),
        ...(by.ended && !isCandidate ? [t(`interviews.mail.ended.panel.${by.ended}`)] : []),
        ...(reason ? [t('interviews.mail.reason', { reason })] : []),
        ...(kind === 'cancelled' ? [] : details),
        // The text speaks of a calendar file only when the mail carries one, and says what it does.
        ...(attachments.length ? [t(method === 'CANCEL' ? 'interviews.mail.calendarCancel' : 'interviews.mail.calendar')] : []),
      ],
      action: isCandidate ? undefined : { label: t('interviews.mail.kit'), url: `${ctx.baseUrl}/recrutement/candidatures/${access.app.application_id}/evaluation` },
      footer: t('mail.footer'),
      lang: locale,
    });
    const queued = {
      template: `interviews.${kind}`,
      to: person.email,
      organisationId: access.posting.organisation_id,
      attachments,
      replyTo: isCandidate ? replyTo : null,
      automatic: false,
      applicationIds: [access.app.application_id],
      ...mail,
    };
    // The candidate's copy waits in its undo window, like every mail a member sends a candidate;
    // one that follows the candidate's own act (their withdrawal) has no one to undo it.
    if (isCandidate && by.actor) queueCandidateMail(db, { applicationId: access.app.application_id, key: `interview_${kind}`, actor: { id: by.actor.id, name: by.actor.name }, mail: queued }, now);
    else enqueueMail(db, queued, now);
  }
}

/** A panel member as a mail recipient: their account (by id, else by address). */
const memberOf = (person: Person): Recipient => (person.userId !== undefined ? { userId: person.userId } : { email: person.email, otherwise: 'fr' });

const candidateOf = (access: ReturnType<typeof applicationAccess>): Person => ({ name: access.app.full_name, email: access.app.email });
/** How mails and calendars to the panel name the candidate: the anonymity rule, for no one's reveal in particular. */
const panelNameOf = (db: DB, t: Translate, access: ReturnType<typeof applicationAccess>) => displayName(t, identityFor(db, access.app.application_id, null));
const peopleOf = (access: ReturnType<typeof applicationAccess>, ids: number[]): Person[] =>
  access.panelMembers.filter((m) => ids.includes(m.user_id)).map((m) => ({ name: m.name, email: m.email, userId: m.user_id }));

function conflictsOf(db: DB, input: InterviewForm, exceptId: number) {
  return q.conflictsFor(db, input.attendees, nowIso(input.start), nowIso(input.end), exceptId);
}

/** Schedules and invites, in one transaction; returns the panel members already busy then (a warning, not a refusal). */
export function scheduleInterview(db: DB, actor: Actor, applicationId: number, input: InterviewForm, ctx: MailContext, form: Form, now = new Date()) {
  return db.transaction(() => {
    const access = managed(db, actor, applicationId);
    checkInput(access, input, form, now);
    const conflicts = conflictsOf(db, input, 0);
    const at = nowIso(now);
    const id = q.insertInterview(
      db,
      {
        ...fields(input),
        organisationId: access.posting.organisation_id,
        postingId: access.posting.id,
        applicationId,
        uid: `entretien-${crypto.randomUUID()}@coordo`,
        userId: actor.id,
        organizerName: actor.name,
        organizerEmail: actor.email,
      },
      at,
    );
    q.setAttendees(db, id, input.attendees);
    const interview = q.interviewById(db, id) as q.InterviewRow;
    sendInvitations(db, ctx, access, interview, { candidate: candidateOf(access), panel: peopleOf(access, input.attendees) }, 'REQUEST', 'scheduled', now, { actor });
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'interview.scheduled', organisationId: access.posting.organisation_id, targetType: 'application', targetId: applicationId, ip: ctx.ip, details: { interview: id } });
    return { id, conflicts };
  })();
}

function managedInterview(db: DB, actor: Actor, interviewId: number) {
  const interview = q.interviewById(db, interviewId);
  if (!interview) throw new NotFound();
  const access = managed(db, actor, interview.application_id);
  const attendees = q.attendeesOf(db, [interview.id]);
  return { access, interview, attendees };
}

export function interviewForEdit(db: DB, actor: Actor, interviewId: number) {
  const { access, interview, attendees } = managedInterview(db, actor, interviewId);
  if (interview.status !== 'scheduled') throw new NotFound();
  return { ...access, panel: access.panelMembers, interview, attendees };
}

/** Same UID, SEQUENCE + 1: calendars update the event; people taken off it get a cancellation. */
export function rescheduleInterview(db: DB, actor: Actor, interviewId: number, input: InterviewForm, ctx: MailContext, form: Form, now = new Date()) {
  return db.transaction(() => {
    const { access, interview, attendees } = managedInterview(db, actor, interviewId);
    if (interview.status !== 'scheduled' || (input.expected_sequence !== undefined && input.expected_sequence !== interview.sequence)) throw new StaleInterview();
    checkInput(access, input, form, now);
    const conflicts = conflictsOf(db, input, interview.id);
    if (q.rescheduleInterview(db, interview.id, interview.sequence, fields(input), nowIso(now)).changes !== 1) throw new StaleInterview();
    q.setAttendees(db, interview.id, input.attendees);
    const updated = q.interviewById(db, interview.id) as q.InterviewRow;
    const removed = attendees.filter((a) => !input.attendees.includes(a.user_id)).map((a) => ({ name: a.name, email: a.email, userId: a.user_id }));
    sendInvitations(db, ctx, access, updated, { candidate: candidateOf(access), panel: peopleOf(access, input.attendees) }, 'REQUEST', 'rescheduled', now, { actor });
    if (removed.length) sendRemovals(db, ctx, access, updated, removed, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'interview.rescheduled', organisationId: access.posting.organisation_id, targetType: 'application', targetId: access.app.application_id, ip: ctx.ip, details: { interview: interview.id, sequence: updated.sequence } });
    return { id: interview.id, conflicts, applicationId: access.app.application_id };
  })();
}

/**
 * One panel member joins or leaves a scheduled interview (their availability changed after the
 * candidate booked): the one who joins gets the invitation and its calendar file, the one who
 * leaves a cancellation of their copy; the candidate and the others are not written to (the
 * interview's time and place did not change). Returns whether anything changed.
 */
export function changeAttendee(db: DB, organiser: Actor, interviewId: number, userId: number, attends: boolean, ctx: MailContext, now = new Date()): boolean {
  return db.transaction(() => {
    const { access, interview, attendees } = managedInterview(db, organiser, interviewId);
    if (interview.status !== 'scheduled' || new Date(interview.starts_at).getTime() <= now.getTime()) return false;
    const current = attendees.map((a) => a.user_id);
    if (current.includes(userId) === attends) return false;
    if (attends && !access.panelMembers.some((m) => m.user_id === userId)) return false;
    const next = attends ? [...current, userId] : current.filter((id) => id !== userId);
    q.setAttendees(db, interview.id, next);
    if (attends) sendInvitations(db, ctx, access, interview, { candidate: candidateOf(access), panel: peopleOf(access, [userId]) }, 'REQUEST', 'scheduled', now, { actor: organiser, panelOnly: true });
    else sendRemovals(db, ctx, access, interview, attendees.filter((a) => a.user_id === userId).map((a) => ({ name: a.name, email: a.email, userId: a.user_id })), now);
    audit(db, {
      actorUserId: userId,
      actorLabel: 'disponibilités',
      action: attends ? 'interview.attendee_added' : 'interview.attendee_removed',
      organisationId: access.posting.organisation_id,
      targetType: 'application',
      targetId: access.app.application_id,
      details: { interview: interview.id, user: userId },
    });
    return true;
  })();
}

/** A panel member taken off the interview: a cancellation of their copy only. */
function sendRemovals(db: DB, ctx: MailContext, access: ReturnType<typeof applicationAccess>, interview: q.InterviewRow, removed: Person[], now: Date) {
  for (const person of removed) {
    const { t, locale } = writerFor(db, ctx, memberOf(person));
    const ics = interviewIcs({
      uid: interview.uid,
      sequence: interview.sequence,
      method: 'CANCEL',
      start: new Date(interview.starts_at),
      durationMinutes: interview.duration_minutes,
      title: t('interviews.ics.title', { posting: postingLabel(access.posting, t, locale), org: access.posting.org_name }),
      description: t('interviews.mail.removed.panel', { name: panelNameOf(db, t, access), posting: postingLabel(access.posting, t, locale) }),
      organizer: { name: interview.organizer_name, email: interview.organizer_email },
      attendees: [person],
    });
    const mail = simpleMail({
      subject: t('interviews.mail.removed.subject', { posting: postingLabel(access.posting, t, locale) }),
      greeting: t('interviews.mail.greeting', { name: person.name }),
      paragraphs: [t('interviews.mail.removed.panel', { name: panelNameOf(db, t, access), posting: postingLabel(access.posting, t, locale) })],
      footer: t('mail.footer'),
      lang: locale,
    });
    enqueueMail(
      db,
      {
        template: 'interviews.removed',
        to: person.email,
        organisationId: access.posting.organisation_id,
        attachments: [{ filename: t('interviews.ics.cancelFile'), contentType: icsContentType('CANCEL'), content: ics }],
        automatic: false,
        applicationIds: [access.app.application_id],
        ...mail,
      },
      now,
    );
  }
}

/** The interview to cancel, for the form that asks why. */
export function interviewForCancel(db: DB, actor: Actor, interviewId: number) {
  const { access, interview } = managedInterview(db, actor, interviewId);
  if (interview.status !== 'scheduled') throw new NotFound();
  return { ...access, interview };
}

/** Cancels; the reason (asked by the bureau's form) goes into the candidate's and the panel's mails. */
export function cancelInterview(db: DB, actor: Actor, interviewId: number, ctx: MailContext, now = new Date(), reason = '') {
  return db.transaction(() => {
    const { access, interview, attendees } = managedInterview(db, actor, interviewId);
    if (q.cancelInterview(db, interview.id, reason || null, nowIso(now)).changes !== 1) throw new StaleInterview();
    const cancelled = q.interviewById(db, interview.id) as q.InterviewRow;
    sendInvitations(db, ctx, access, cancelled, { candidate: candidateOf(access), panel: attendees.map((a) => ({ name: a.name, email: a.email, userId: a.user_id })) }, 'CANCEL', 'cancelled', now, { actor, reason: reason || undefined });
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'interview.cancelled', organisationId: access.posting.organisation_id, targetType: 'application', targetId: access.app.application_id, ip: ctx.ip, details: { interview: interview.id } });
    return { applicationId: access.app.application_id };
  })();
}

/** Why an application ended: the candidate withdrew it (themselves, or the bureau recorded it), or the CPTS did not retain it. */
export type EndedBy = 'withdrawn' | 'rejected';

/**
 * An application that ends keeps no interview to come. Called in the transaction that ends it
 * (the pipeline's move to "Non retenu(e)" or "Désistement", single, bulk or by decision, and the
 * candidate's own withdrawal): each of its scheduled interviews that has not started is cancelled, the slot the
 * candidate had booked is free again, and the candidate and the invited panel members get the
 * cancellation with the calendar file that removes it, the panel's copy saying why (the
 * candidate's does not give the CPTS's reasons: their rejection mail, sent or held, does).
 * `actor`: the member who ended it (their copy to the candidate waits in the undo window);
 * none for the candidate's own withdrawal. Returns the cancelled interviews' start times, for the flash message.
 */
export function cancelInterviewsOfEnded(db: DB, applicationId: number, ended: EndedBy, ctx: MailContext, now = new Date(), actor?: Actor): string[] {
  const coming = q.upcomingOfApplication(db, applicationId, nowIso(now)).filter((i) => new Date(i.starts_at).getTime() > now.getTime());
  if (!coming.length) return [];
  const access = systemApplicationAccess(db, applicationId);
  if (!access) return [];
  const attendees = q.attendeesOf(
    db,
    coming.map((i) => i.id),
  );
  for (const interview of coming) {
    if (q.cancelInterview(db, interview.id, null, nowIso(now)).changes !== 1) continue;
    q.releaseBookingsOf(db, interview.id);
    const cancelled = q.interviewById(db, interview.id) as q.InterviewRow;
    const panel = attendees.filter((a) => a.interview_id === interview.id).map((a) => ({ name: a.name, email: a.email, userId: a.user_id }));
    sendInvitations(db, ctx, access, cancelled, { candidate: candidateOf(access), panel }, 'CANCEL', 'cancelled', now, { actor, ended });
    audit(db, {
      actorUserId: actor?.id ?? null,
      actorLabel: actor?.email ?? 'candidat·e',
      action: 'interview.cancelled',
      organisationId: access.posting.organisation_id,
      targetType: 'application',
      targetId: applicationId,
      ip: ctx.ip,
      details: { interview: interview.id, ended },
    });
  }
  return coming.map((i) => i.starts_at);
}

/** An interview of an application about to be erased, with what its panel's cancellation needs. */
export type ErasedInterview = { interview: q.InterviewRow; posting: NonNullable<ReturnType<typeof systemApplicationAccess>>['posting']; attendees: Person[] };

/**
 * Read before an erasure (which deletes the interviews with the applications): the scheduled
 * interviews of these applications that have not started, with their invited panel members.
 */
export function interviewsToCancelOnErasure(db: DB, applicationIds: readonly number[], now = new Date()): ErasedInterview[] {
  const out: ErasedInterview[] = [];
  for (const applicationId of applicationIds) {
    const coming = q.upcomingOfApplication(db, applicationId, nowIso(now)).filter((i) => new Date(i.starts_at).getTime() > now.getTime());
    const access = coming.length ? systemApplicationAccess(db, applicationId) : undefined;
    if (!access) continue;
    const attendees = q.attendeesOf(
      db,
      coming.map((i) => i.id),
    );
    for (const interview of coming) {
      out.push({ interview, posting: access.posting, attendees: attendees.filter((a) => a.interview_id === interview.id).map((a) => ({ name: a.name, email: a.email, userId: a.user_id })) });
    }
  }
  return out;
}

/**
 * After the erasure, in its transaction: each invited panel member gets the cancellation of
 * the erased application's interview with the calendar file that removes it. It names no one
 * and is linked to no application (nothing of the person is written again); the candidate,
 * whose address is gone, gets nothing.
 */
export function cancelErasedInterviews(db: DB, erased: readonly ErasedInterview[], ctx: MailContext, now = new Date()): number {
  for (const { interview, posting, attendees } of erased) {
    for (const person of attendees) {
      const { t, locale } = writerFor(db, ctx, memberOf(person));
      const label = postingLabel(posting, t, locale);
      const when = formatDate(interview.starts_at, locale, true);
      const text = t('interviews.mail.erased.panel', { posting: label, org: posting.org_name, when });
      const ics = interviewIcs({
        uid: interview.uid,
        sequence: interview.sequence + 1,
        method: 'CANCEL',
        start: new Date(interview.starts_at),
        durationMinutes: interview.duration_minutes,
        title: t('interviews.ics.title', { posting: label, org: posting.org_name }),
        description: text,
        organizer: { name: interview.organizer_name, email: interview.organizer_email },
        attendees: [person],
      });
      const mail = simpleMail({
        subject: t('interviews.mail.cancelled.subject', { posting: label, when }),
        greeting: t('interviews.mail.greeting', { name: person.name }),
        paragraphs: [text, t('interviews.mail.calendarCancel')],
        footer: t('mail.footer'),
        lang: locale,
      });
      enqueueMail(
        db,
        { template: 'interviews.cancelled', to: person.email, organisationId: posting.organisation_id, attachments: [{ filename: t('interviews.ics.cancelFile'), contentType: icsContentType('CANCEL'), content: ics }], automatic: false, ...mail },
        now,
      );
    }
  }
  return erased.length;
}

/** The candidate's coming interviews, for their private page (the applications feature). */
export function upcomingInterviewsOf(db: DB, applicationId: number, now = new Date()) {
  return q.upcomingOfApplication(db, applicationId, nowIso(now)).map((i) => ({
    id: i.id,
    starts_at: i.starts_at,
    duration_minutes: i.duration_minutes,
    mode: i.mode,
    location: i.location,
    video_url: i.video_url,
  }));
}
