/**
 * Network events that reach people: invitations by mail with a calendar file and answer links
 * that work without logging in, updates and cancellations (SEQUENCE, CANCEL), reminders.
 */
import crypto from 'node:crypto';
import { icsContentType } from '../../core/ics.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { formatDate, type Locale, type Translate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import type { Actor } from '../../core/policy.js';
import { hashToken, newToken } from '../../core/tokens.js';
import { networkEventIcs } from './ics.js';
import * as q from './queries.js';
import type { EventInput } from './schemas.js';
import { isChargeOf, managedRegion, networkRegionIds } from './service.js';
import { parisToUtc, utcToParis } from './time.js';

export type MailContext = { baseUrl: string; translator: (locale: Locale) => Translate };
type Form = { view: string; locals: Record<string, unknown> };
type MailKind = 'invited' | 'updated' | 'cancelled' | 'reminder';

/** Reminders go out this long before an event starts. */
export const REMINDER_HOURS = 48;
export const RESPONSES = ['yes', 'maybe', 'no'] as const;

function fieldsOf(db: DB, regionId: number, input: EventInput, form: Form | undefined, now: Date): q.EventFields & { orgIds: number[] } {
  const fail = (fields: Record<string, string>) => {
    throw new Invalid(fields, form?.view, { ...form?.locals, values: input });
  };
  const start = parisToUtc(input.date, input.time);
  const end = parisToUtc(input.date, input.end_time);
  if (!start || !end) return fail({ date: 'network.errors.date' });
  if (start.getTime() <= now.getTime()) return fail({ date: 'network.errors.pastDate' });
  const regionOrgs = new Set(q.organisationsOfRegion(db, regionId).map((o) => o.id));
  const orgIds = input.audience === 'organisations' ? [...new Set(input.organisation_ids)] : [];
  if (orgIds.some((id) => !regionOrgs.has(id))) return fail({ organisation_ids: 'errors.choice' });
  return {
    kind: input.kind,
    title: input.title,
    startsAt: nowIso(start),
    durationMinutes: Math.round((end.getTime() - start.getTime()) / 60_000),
    place: input.place,
    agenda: input.agenda,
    videoUrl: input.video_url,
    audience: input.audience,
    orgIds,
  };
}

function answerUrl(mail: MailContext, token: string, response?: string): string {
  return `${mail.baseUrl}/reseau/invitation/${token}${response ? `?reponse=${response}` : ''}`;
}

/** Queues one mail about an event to one invitee, with a fresh answer link and the calendar file. */
function mailInvitee(db: DB, mail: MailContext, event: q.EventRow, invitee: q.Invitee, kind: MailKind, now: Date): void {
  const t = mail.translator(invitee.locale);
  const when = `${formatDate(event.starts_at, invitee.locale, true)} – ${utcToParis(new Date(new Date(event.starts_at).getTime() + event.duration_minutes * 60_000)).time}`;
  const eventUrl = `${mail.baseUrl}/reseau/evenements/${event.id}`;
  const method = kind === 'cancelled' ? 'CANCEL' : 'REQUEST';
  const ics = networkEventIcs(event, { url: eventUrl, method, attendee: invitee, videoLabel: t('network.event.videoLabel') });
  const paragraphs = [t(`network.mail.${kind}.intro`, { title: event.title, region: event.region_name })];
  let after: string[] = [];
  let action: { label: string; url: string } | undefined;
  if (kind !== 'cancelled') {
    const { token, hash } = newToken();
    const end = new Date(new Date(event.starts_at).getTime() + event.duration_minutes * 60_000);
    q.insertAnswerToken(db, hash, event.id, invitee.user_id, nowIso(end), nowIso(now));
    paragraphs.push(t('network.mail.when', { when }));
    if (event.place) paragraphs.push(t('network.mail.place', { place: event.place }));
    if (event.video_url) paragraphs.push(t('network.mail.video', { url: event.video_url }));
    if (event.agenda) paragraphs.push(t('network.mail.agenda'), event.agenda);
    paragraphs.push(t('network.mail.answerLinks'), ...RESPONSES.map((r) => `${t('network.rsvp.' + r)} : ${answerUrl(mail, token, r)}`));
    action = { label: t('network.mail.answer'), url: answerUrl(mail, token) };
    after = [t('network.mail.inApp', { url: eventUrl }), t('network.mail.calendar')];
  } else {
    paragraphs.push(t('network.mail.when', { when }), t('network.mail.calendarCancel'));
  }
  const message = simpleMail({
    subject: t(`network.mail.${kind}.subject`, { title: event.title, when: formatDate(event.starts_at, invitee.locale, true) }),
    greeting: t('network.mail.greeting', { name: invitee.name }),
    paragraphs,
    action,
    after,
    footer: t('mail.footer'),
    lang: invitee.locale,
  });
  const filename = kind === 'cancelled' ? 'annulation-rencontre.ics' : 'rencontre-reseau.ics';
  enqueueMail(db, { template: `network.event.${kind}`, to: invitee.email, ...message, attachments: [{ filename, contentType: icsContentType(method), content: ics }] }, now);
}

export function createNetworkEvent(db: DB, actor: Actor, regionId: number, input: EventInput, mail: MailContext, form?: Form, now = new Date()): number {
  return db.transaction(() => {
    const region = managedRegion(db, actor, regionId);
    const { orgIds, ...fields } = fieldsOf(db, region.id, input, form, now);
    const id = q.insertEvent(db, region.id, fields, `event-${crypto.randomUUID()}@coordo`, actor.id, nowIso(now));
    q.setEventOrganisations(db, id, orgIds);
    const event = q.eventById(db, id) as q.EventRow;
    for (const invitee of q.audienceOfEvent(db, id)) {
      q.insertInvitation(db, id, invitee.user_id, nowIso(now));
      mailInvitee(db, mail, event, invitee, 'invited', now);
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.event.created', targetType: 'network_event', targetId: id });
    return id;
  })();
}

export function managedEvent(db: DB, actor: Actor, eventId: number): q.EventRow {
  const e = q.eventById(db, eventId);
  if (!e || !isChargeOf(actor, e.region_id)) throw new NotFound();
  return e;
}

/** The form's values for an existing event, in Paris time. */
export function eventFormValues(db: DB, event: q.EventRow) {
  const start = utcToParis(new Date(event.starts_at));
  const end = utcToParis(new Date(new Date(event.starts_at).getTime() + event.duration_minutes * 60_000));
  return {
    kind: event.kind,
    title: event.title,
    date: start.date,
    time: start.time,
    end_time: end.time,
    place: event.place,
    video_url: event.video_url,
    agenda: event.agenda,
    audience: event.audience,
    organisation_ids: q.eventOrganisationIds(db, event.id).map(String),
  };
}

/**
 * Saves a change: SEQUENCE grows, those still invited get the updated invitation, newcomers an
 * invitation, and those no longer in the audience a cancellation.
 */
export function updateNetworkEvent(db: DB, actor: Actor, eventId: number, input: EventInput, mail: MailContext, form?: Form, now = new Date()): void {
  db.transaction(() => {
    const before = managedEvent(db, actor, eventId);
    if (before.cancelled_at) throw new NotFound();
    const { orgIds, ...fields } = fieldsOf(db, before.region_id, input, form, now);
    const previous = new Map(q.invitedOf(db, before.id).map((i) => [i.user_id, i]));
    q.updateEvent(db, before.id, fields, nowIso(now));
    q.setEventOrganisations(db, before.id, orgIds);
    const event = q.eventById(db, before.id) as q.EventRow;
    const audience = q.audienceOfEvent(db, before.id);
    for (const invitee of audience) {
      const known = previous.delete(invitee.user_id);
      if (!known) q.insertInvitation(db, event.id, invitee.user_id, nowIso(now));
      mailInvitee(db, mail, event, invitee, known ? 'updated' : 'invited', now);
    }
    for (const gone of previous.values()) {
      mailInvitee(db, mail, event, gone, 'cancelled', now);
      q.deleteInvitation(db, event.id, gone.user_id);
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.event.updated', targetType: 'network_event', targetId: event.id });
  })();
}

export function cancelNetworkEvent(db: DB, actor: Actor, eventId: number, mail: MailContext, now = new Date()): number {
  return db.transaction(() => {
    const before = managedEvent(db, actor, eventId);
    if (q.cancelEvent(db, before.id, nowIso(now)).changes !== 1) throw new NotFound();
    const event = q.eventById(db, before.id) as q.EventRow;
    for (const invitee of q.invitedOf(db, event.id)) mailInvitee(db, mail, event, invitee, 'cancelled', now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'network.event.cancelled', targetType: 'network_event', targetId: event.id });
    return event.region_id;
  })();
}

export function viewableEvent(db: DB, actor: Actor, eventId: number): q.EventRow {
  const e = q.eventById(db, eventId);
  if (!e || !networkRegionIds(db, actor).includes(e.region_id)) throw new NotFound();
  return e;
}

export type InviteeAnswer = q.Invitee & { response: (typeof RESPONSES)[number] | null };

export function eventPage(db: DB, actor: Actor, eventId: number, now = new Date()) {
  const event = viewableEvent(db, actor, eventId);
  const isOrganiser = isChargeOf(actor, event.region_id);
  const answers = new Map(q.rsvpsOfEvent(db, event.id).map((r) => [r.user_id, r]));
  const invitees: InviteeAnswer[] = isOrganiser ? q.invitedOf(db, event.id).map((i) => ({ ...i, response: answers.get(i.user_id)?.response ?? null })) : [];
  const invitedIds = new Set(invitees.map((i) => i.user_id));
  return {
    event,
    endsAt: new Date(new Date(event.starts_at).getTime() + event.duration_minutes * 60_000).toISOString(),
    isPast: event.starts_at < nowIso(now),
    isOrganiser,
    myResponse: q.rsvpOf(db, event.id, actor.id) ?? '',
    invitees,
    // Members who answered from the app without being on the invitation list.
    others: isOrganiser ? [...answers.values()].filter((a) => !invitedIds.has(a.user_id)) : [],
    audienceNames: event.audience === 'organisations' ? audienceNamesOf(db, event) : [],
  };
}

function audienceNamesOf(db: DB, event: q.EventRow): string[] {
  const chosen = new Set(q.eventOrganisationIds(db, event.id));
  return q.organisationsOfRegion(db, event.region_id).filter((o) => chosen.has(o.id)).map((o) => o.name);
}

function checkOpen(event: q.EventRow, now: Date, fail: () => never): void {
  if (event.cancelled_at || event.starts_at < nowIso(now)) fail();
}

/** RSVP from the app; an event that has started (or was cancelled) can no longer be answered. */
export function respondToEvent(db: DB, actor: Actor, eventId: number, response: 'yes' | 'no' | 'maybe', form: (locals: Record<string, unknown>) => Form, now = new Date()): void {
  db.transaction(() => {
    const page = eventPage(db, actor, eventId, now);
    checkOpen(page.event, now, () => {
      const f = form(page);
      throw new Invalid({ response: 'network.errors.pastEvent' }, f.view, { ...f.locals, values: { response } }, 409);
    });
    q.upsertRsvp(db, page.event.id, actor.id, response, nowIso(now));
  })();
}

/** The event and the invitee behind an answer link; an unknown or expired link is a 404. */
export function answerLink(db: DB, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFound();
  const row = q.answerToken(db, hashToken(token));
  if (!row || row.expires_at < nowIso(now)) throw new NotFound();
  const event = q.eventById(db, row.event_id);
  if (!event) throw new NotFound();
  return {
    event,
    invitee: { id: row.user_id, name: row.user_name },
    current: q.rsvpOf(db, event.id, row.user_id) ?? '',
    closed: event.cancelled_at !== null || event.starts_at < nowIso(now),
  };
}

/** Records the answer given through a mailed link (the form is posted with the page's CSRF token). */
export function answerByLink(db: DB, token: string, response: 'yes' | 'no' | 'maybe', form: (locals: Record<string, unknown>) => Form, now = new Date()): void {
  db.transaction(() => {
    const link = answerLink(db, token, now);
    checkOpen(link.event, now, () => {
      const f = form(link);
      throw new Invalid({ response: 'network.errors.pastEvent' }, f.view, { ...f.locals, values: { response } }, 409);
    });
    q.upsertRsvp(db, link.event.id, link.invitee.id, response, nowIso(now));
    audit(db, { actorUserId: link.invitee.id, actorLabel: link.invitee.name, action: 'network.event.answered', targetType: 'network_event', targetId: link.event.id, details: { response, via: 'mail' } });
  })();
}

/**
 * Reminds invitees (except those who declined) of events starting within REMINDER_HOURS. The
 * invitation's reminded_at is set with the queued mail, so reruns (scheduler, CLI) send nothing more.
 */
export function sendEventReminders(db: DB, mail: MailContext, now = new Date()): { sent: number } {
  let sent = 0;
  for (const due of q.remindersDue(db, nowIso(now), nowIso(new Date(now.getTime() + REMINDER_HOURS * 3600_000)))) {
    db.transaction(() => {
      if (!q.markReminded(db, due.event_id, due.user_id, nowIso(now))) return;
      const event = q.eventById(db, due.event_id);
      const invitee = q.inviteeById(db, due.user_id);
      if (!event || !invitee) return;
      mailInvitee(db, mail, event, invitee, 'reminder', now);
      sent++;
    })();
  }
  return { sent };
}
