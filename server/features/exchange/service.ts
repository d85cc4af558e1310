/**
 * The regular exchange between the coordinator and the bureau of a CPTS, as a meeting series:
 * one recurring calendar invitation, a page per meeting (agenda from either side, minutes,
 * decisions, action items that carry over until done). Only the CPTS's bureau and coordinators
 * read it: not the region, not the instance admin.
 */
import crypto from 'node:crypto';
import { icsContentType } from '../../core/ics.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { formatDate, parisDay, type Locale, type Translate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { rolesIn, type Actor } from '../../core/policy.js';
import { parisToUtc } from '../network/time.js';
import { isCalendarDate } from '../onboarding/dates.js';
import { completeExchangeStep } from '../onboarding/service.js';
import { seriesIcs } from './ics.js';
import * as q from './queries.js';
import { isOccurrence, nextOccurrenceFrom, onOrAfterWeekday, previousOccurrences, type Recurrence } from './recurrence.js';
import type { ActionInput, SeriesInput } from './schemas.js';

export type MailContext = { baseUrl: string; translator: (locale: Locale) => Translate };
type Form = { view: string; locals: Record<string, unknown> };

/** The bureau and the coordinators of the CPTS; anyone else gets a 404. */
export function exchangeAccess(db: DB, actor: Actor, organisationId: number) {
  const org = q.organisationById(db, organisationId);
  if (!org) throw new NotFound();
  const roles = rolesIn({ ...actor, isAdmin: false }, org);
  const isBureau = roles.has('bureau');
  const isCoordinator = roles.has('coordinator');
  if (!isBureau && !isCoordinator) throw new NotFound();
  return { org, isBureau, isCoordinator };
}

export function mayUseExchange(db: DB, actor: Actor, organisationId: number): boolean {
  const org = q.organisationById(db, organisationId);
  if (!org) return false;
  const roles = rolesIn({ ...actor, isAdmin: false }, org);
  return roles.has('bureau') || roles.has('coordinator');
}

export const recurrenceOf = (s: q.SeriesRow): Recurrence => ({ frequency: s.frequency, weekday: s.weekday, firstDate: s.first_date });

export function meetingStart(series: q.SeriesRow, date: string): string {
  return nowIso(parisToUtc(date, series.start_time) as Date);
}

/** The date of the next meeting that has not ended yet. */
export function nextMeetingDate(series: q.SeriesRow, now = new Date()): string | undefined {
  const today = parisDay(now);
  const rec = recurrenceOf(series);
  let date = nextOccurrenceFrom(rec, today < series.first_date ? series.first_date : today);
  if (date && new Date(meetingStart(series, date)).getTime() + series.duration_minutes * 60_000 < now.getTime()) {
    date = nextOccurrenceFrom(rec, addOneDay(date));
  }
  return date;
}

function addOneDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function seriesFormLocals(db: DB, actor: Actor, organisationId: number) {
  const { org } = exchangeAccess(db, actor, organisationId);
  return { org, members: q.membersOfOrganisation(db, org.id), series: q.seriesOfOrganisation(db, org.id) };
}

function checkSeries(db: DB, org: q.OrgRow, input: SeriesInput, form: Form | undefined, now: Date, existing?: q.SeriesRow) {
  const fail = (fields: Record<string, string>) => {
    throw new Invalid(fields, form?.view, { ...form?.locals, values: input });
  };
  // A running series keeps its first date (its history hangs on it); a new date must be to come.
  if (input.start_date < parisDay(now) && input.start_date !== existing?.first_date) fail({ start_date: 'exchange.errors.pastDate' });
  const members = q.membersOfOrganisation(db, org.id);
  const chosen = [...new Set(input.participant_ids)];
  if (chosen.some((id) => !members.some((m) => m.user_id === id))) fail({ participant_ids: 'errors.choice' });
  const has = (role: string) => members.some((m) => m.role === role && chosen.includes(m.user_id));
  if (!has('coordinator') || !has('bureau')) fail({ participant_ids: 'exchange.errors.participants' });
  const fields: q.SeriesFields = {
    frequency: input.frequency,
    weekday: input.weekday,
    startTime: input.start_time,
    durationMinutes: input.duration_minutes,
    firstDate: onOrAfterWeekday(input.start_date, input.weekday),
    place: input.place,
    videoUrl: input.video_url,
  };
  return { fields, chosen };
}

/** Sends the series' recurring invitation (REQUEST) to each participant, or its cancellation. */
function mailSeries(db: DB, mail: MailContext, org: q.OrgRow, series: q.SeriesRow, people: q.MemberRow[], method: 'REQUEST' | 'CANCEL', kind: 'created' | 'updated' | 'removed', organizer: Actor, now: Date) {
  const url = `${mail.baseUrl}/organisations/${org.id}/echange`;
  for (const person of people) {
    const t = mail.translator(person.locale);
    const when = t(`exchange.when.${series.frequency}`, { weekday: t(`exchange.weekday.${series.weekday}`), time: series.start_time });
    const ics = seriesIcs({
      uid: series.uid,
      sequence: series.sequence,
      method,
      recurrence: recurrenceOf(series),
      startTime: series.start_time,
      durationMinutes: series.duration_minutes,
      title: t('exchange.ics.title', { org: org.name }),
      description: t('exchange.ics.description', { org: org.name, url }),
      location: series.place || series.video_url,
      url: series.video_url || url,
      organizer: { name: organizer.name, email: organizer.email },
      attendees: people.map((p) => ({ name: p.name, email: p.email })),
    });
    const message = simpleMail({
      subject: t(`exchange.mail.${kind}.subject`, { org: org.name }),
      greeting: t('exchange.mail.greeting', { name: person.name }),
      paragraphs: [
        t(`exchange.mail.${kind}.intro`, { org: org.name, by: organizer.name }),
        ...(kind === 'removed'
          ? []
          : [
              t('exchange.mail.when', { when, first: formatDate(series.first_date, person.locale) }),
              ...(series.place ? [t('exchange.mail.place', { place: series.place })] : []),
              ...(series.video_url ? [t('exchange.mail.video', { url: series.video_url })] : []),
              t('exchange.mail.participants', { list: people.map((p) => p.name).join(', ') }),
            ]),
        t(kind === 'removed' ? 'exchange.mail.calendarCancel' : 'exchange.mail.calendar'),
      ],
      action: kind === 'removed' ? undefined : { label: t('exchange.mail.open'), url },
      footer: t('mail.footer'),
      lang: person.locale,
    });
    const filename = method === 'CANCEL' ? 'annulation-point-bureau.ics' : 'point-bureau.ics';
    enqueueMail(db, { template: `exchange.series.${kind}`, to: person.email, organisationId: org.id, ...message, attachments: [{ filename, contentType: icsContentType(method), content: ics }] }, now);
  }
}

export function createSeries(db: DB, actor: Actor, organisationId: number, input: SeriesInput, mail: MailContext, form?: Form, now = new Date()): number {
  return db.transaction(() => {
    const { org } = exchangeAccess(db, actor, organisationId);
    if (q.seriesOfOrganisation(db, org.id)) throw new Invalid({ _form: 'exchange.errors.exists' }, form?.view, { ...form?.locals, values: input }, 409);
    const { fields, chosen } = checkSeries(db, org, input, form, now);
    if (input.plan_step_id !== null && !completeExchangeStep(db, actor, org.id, input.plan_step_id, now)) {
      throw new Invalid({ plan_step_id: 'errors.choice' }, form?.view, { ...form?.locals, values: input });
    }
    const id = q.insertSeries(db, org.id, fields, `exchange-${crypto.randomUUID()}@coordo`, input.plan_step_id, actor.id, nowIso(now));
    q.setParticipants(db, id, chosen);
    const series = q.seriesOfOrganisation(db, org.id) as q.SeriesRow;
    mailSeries(db, mail, org, series, q.usersByIds(db, chosen), 'REQUEST', 'created', actor, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'exchange.series.created', organisationId: org.id, targetType: 'exchange_series', targetId: id });
    return id;
  })();
}

export function updateSeries(db: DB, actor: Actor, organisationId: number, input: SeriesInput, mail: MailContext, form?: Form, now = new Date()): void {
  db.transaction(() => {
    const { org } = exchangeAccess(db, actor, organisationId);
    const before = q.seriesOfOrganisation(db, org.id);
    if (!before) throw new NotFound();
    const { fields, chosen } = checkSeries(db, org, input, form, now, before);
    const previous = q.participantIds(db, before.id);
    q.updateSeries(db, before.id, fields, nowIso(now));
    q.setParticipants(db, before.id, chosen);
    const series = q.seriesOfOrganisation(db, org.id) as q.SeriesRow;
    mailSeries(db, mail, org, series, q.usersByIds(db, chosen), 'REQUEST', 'updated', actor, now);
    const removed = previous.filter((id) => !chosen.includes(id));
    if (removed.length) mailSeries(db, mail, org, series, q.usersByIds(db, removed), 'CANCEL', 'removed', actor, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'exchange.series.updated', organisationId: org.id, targetType: 'exchange_series', targetId: series.id });
  })();
}

export function seriesValues(db: DB, series: q.SeriesRow) {
  return {
    frequency: series.frequency,
    weekday: String(series.weekday),
    start_time: series.start_time,
    duration_minutes: String(series.duration_minutes),
    start_date: series.first_date,
    place: series.place,
    video_url: series.video_url,
    participant_ids: q.participantIds(db, series.id).map(String),
  };
}

/** The series page: the next meeting, the history, open action items, participants. */
export function seriesPage(db: DB, actor: Actor, organisationId: number, now = new Date()) {
  const access = exchangeAccess(db, actor, organisationId);
  const series = q.seriesOfOrganisation(db, access.org.id);
  if (!series) return { ...access, series: undefined, members: q.membersOfOrganisation(db, access.org.id) };
  const next = nextMeetingDate(series, now);
  const rows = new Map(q.meetingsOfSeries(db, series.id).map((m) => [m.starts_at, m]));
  const counts = new Map(q.agendaCounts(db, series.id).map((c) => [c.meeting_id, c.n]));
  const describe = (date: string, row: q.MeetingRow | undefined) => ({
    date,
    startsAt: row?.starts_at ?? meetingStart(series, date),
    hasMinutes: !!row && (row.minutes !== '' || row.decisions !== ''),
    points: row ? (counts.get(row.id) ?? 0) : 0,
  });
  const computed = previousOccurrences(recurrenceOf(series), next ?? parisDay(now), 24).map((date) => describe(date, rows.get(meetingStart(series, date))));
  // Meetings held under an earlier rhythm stay in the history.
  const known = new Set(computed.map((m) => m.startsAt));
  const earlier = [...rows.values()]
    .filter((r) => r.starts_at < nowIso(now) && !known.has(r.starts_at) && (r.minutes !== '' || r.decisions !== '' || (counts.get(r.id) ?? 0) > 0))
    .map((r) => describe(parisDay(new Date(r.starts_at)), r));
  const past = [...computed, ...earlier].sort((a, b) => (a.startsAt < b.startsAt ? 1 : -1));
  const nextRow = next ? rows.get(meetingStart(series, next)) : undefined;
  return {
    ...access,
    series,
    next: next ? { date: next, startsAt: meetingStart(series, next), points: nextRow ? (counts.get(nextRow.id) ?? 0) : 0 } : undefined,
    past,
    openActions: q.openActionsOfSeries(db, series.id),
    participants: q.usersByIds(db, q.participantIds(db, series.id)),
    members: q.membersOfOrganisation(db, access.org.id),
  };
}

/** A meeting by its Paris date: a date of the series' rule, or one held under an earlier rhythm. */
function seriesAndDate(db: DB, actor: Actor, organisationId: number, date: string) {
  const access = exchangeAccess(db, actor, organisationId);
  const series = q.seriesOfOrganisation(db, access.org.id);
  if (!series || !isCalendarDate(date)) throw new NotFound();
  if (isOccurrence(recurrenceOf(series), date)) return { ...access, series, startsAt: meetingStart(series, date) };
  const held = q.meetingBetween(db, series.id, nowIso(parisToUtc(date, '00:00') as Date), nowIso(parisToUtc(addOneDay(date), '00:00') as Date));
  if (!held) throw new NotFound();
  return { ...access, series, startsAt: held.starts_at };
}

function ensureMeeting(db: DB, series: q.SeriesRow, startsAt: string): q.MeetingRow {
  q.insertMeeting(db, series.id, series.organisation_id, startsAt);
  return q.meetingAt(db, series.id, startsAt) as q.MeetingRow;
}

export function meetingPage(db: DB, actor: Actor, organisationId: number, date: string, now = new Date()) {
  const ctx = seriesAndDate(db, actor, organisationId, date);
  const { series, startsAt } = ctx;
  const meeting = q.meetingAt(db, series.id, startsAt);
  const rec = recurrenceOf(series);
  const previous = previousOccurrences(rec, date, 1)[0];
  const following = nextOccurrenceFrom(rec, addOneDay(date));
  return {
    ...ctx,
    date,
    isPast: new Date(startsAt).getTime() < now.getTime(),
    meeting,
    agenda: meeting ? q.agendaOfMeeting(db, meeting.id) : [],
    actions: q.actionsOfMeeting(db, series.id, startsAt),
    members: q.membersOfOrganisation(db, series.organisation_id),
    previous,
    following,
    today: parisDay(now),
  };
}

export function addAgendaItem(db: DB, actor: Actor, organisationId: number, date: string, body: string, now = new Date()): void {
  db.transaction(() => {
    const { series, startsAt } = seriesAndDate(db, actor, organisationId, date);
    const meeting = ensureMeeting(db, series, startsAt);
    q.insertAgendaItem(db, meeting.id, series.organisation_id, actor.id, body, nowIso(now));
  })();
}

export function recordMinutes(db: DB, actor: Actor, organisationId: number, date: string, input: { minutes: string; decisions: string }, now = new Date()): void {
  db.transaction(() => {
    const { series, startsAt } = seriesAndDate(db, actor, organisationId, date);
    const meeting = ensureMeeting(db, series, startsAt);
    q.updateMinutes(db, meeting.id, input.minutes, input.decisions, actor.id, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'exchange.minutes.saved', organisationId: series.organisation_id, targetType: 'exchange_meeting', targetId: meeting.id });
  })();
}

export function addAction(db: DB, actor: Actor, organisationId: number, date: string, input: ActionInput, form?: Form, now = new Date()): number {
  return db.transaction(() => {
    const { series, startsAt } = seriesAndDate(db, actor, organisationId, date);
    if (!q.membersOfOrganisation(db, series.organisation_id).some((m) => m.user_id === input.owner_user_id)) {
      throw new Invalid({ owner_user_id: 'errors.choice' }, form?.view, { ...form?.locals, values: input });
    }
    const meeting = ensureMeeting(db, series, startsAt);
    return q.insertAction(db, { seriesId: series.id, organisationId: series.organisation_id, meetingId: meeting.id, title: input.title, ownerId: input.owner_user_id, dueDate: input.due_date, createdBy: actor.id }, nowIso(now));
  })();
}

export function setActionStatus(db: DB, actor: Actor, organisationId: number, actionId: number, done: boolean, now = new Date()): void {
  db.transaction(() => {
    const { org } = exchangeAccess(db, actor, organisationId);
    const series = q.seriesOfOrganisation(db, org.id);
    const action = q.actionById(db, actionId);
    if (!series || !action || action.series_id !== series.id) throw new NotFound();
    q.setActionDone(db, action.id, done, actor.id, nowIso(now));
  })();
}

/** The series as a calendar file, for a participant to (re)import. */
export function seriesCalendar(db: DB, actor: Actor, organisationId: number, mail: MailContext, locale: Locale): string {
  const { org } = exchangeAccess(db, actor, organisationId);
  const series = q.seriesOfOrganisation(db, org.id);
  if (!series) throw new NotFound();
  const t = mail.translator(locale);
  const url = `${mail.baseUrl}/organisations/${org.id}/echange`;
  const people = q.usersByIds(db, q.participantIds(db, series.id));
  const creator = series.created_by ? q.usersByIds(db, [series.created_by])[0] : undefined;
  return seriesIcs({
    uid: series.uid,
    sequence: series.sequence,
    method: 'PUBLISH',
    recurrence: recurrenceOf(series),
    startTime: series.start_time,
    durationMinutes: series.duration_minutes,
    title: t('exchange.ics.title', { org: org.name }),
    description: t('exchange.ics.description', { org: org.name, url }),
    location: series.place || series.video_url,
    url: series.video_url || url,
    organizer: creator ? { name: creator.name, email: creator.email } : { name: actor.name, email: actor.email },
    attendees: people.map((p) => ({ name: p.name, email: p.email })),
  });
}

/** For the bureau's dashboard and the onboarding step: the next meeting and open actions, or null. */
export function exchangeSummary(db: DB, actor: Actor, organisationId: number, now = new Date()) {
  if (!mayUseExchange(db, actor, organisationId)) return null;
  const series = q.seriesOfOrganisation(db, organisationId);
  if (!series) return { organisationId, series: undefined, next: undefined, openActions: [] as q.ActionRow[] };
  const next = nextMeetingDate(series, now);
  return { organisationId, series, next: next ? { date: next, startsAt: meetingStart(series, next) } : undefined, openActions: q.openActionsOfSeries(db, series.id) };
}

/** The series of every CPTS where the actor is in the bureau or coordinates, for their home page. */
export function myExchanges(db: DB, actor: Actor, now = new Date()) {
  const orgIds = [...new Set(actor.memberships.filter((m) => m.organisationId !== null && (m.role === 'bureau' || m.role === 'coordinator')).map((m) => m.organisationId as number))];
  return orgIds
    .map((id) => ({ org: q.organisationById(db, id), summary: exchangeSummary(db, actor, id, now) }))
    .filter((x): x is { org: q.OrgRow; summary: NonNullable<ReturnType<typeof exchangeSummary>> } => !!x.org && !!x.summary && !!x.summary.series);
}
