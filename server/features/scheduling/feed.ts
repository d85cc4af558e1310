import { loadActor } from '../../core/auth.js';
import { postingLabel } from '../../core/posting-label.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import type { Translate } from '../../core/i18n.js';
import { foldIcs, icsText, icsUtc, PARIS_VTIMEZONE } from '../../core/ics.js';
import type { Actor } from '../../core/policy.js';
import { hashToken, newToken } from '../../core/tokens.js';
import { displayName } from '../pipeline/anonymity.js';
import { utcToParis } from '../interviews/time.js';
import { networkRegionIds } from '../network/service.js';
import { meetingStepsOf } from '../onboarding/service.js';
import * as q from './queries.js';
import { TOKEN_PATTERN } from './schemas.js';
import { visibleApplication } from './service.js';

/** How far back the feed goes: calendars keep what they already had. */
const FEED_PAST_DAYS = 30;

export function feedStatus(db: DB, userId: number) {
  return q.feedOf(db, userId);
}

/** A new subscription address; the previous one stops working at once. */
export function regenerateFeed(db: DB, actor: Actor, now = new Date()): string {
  const { token, hash } = newToken();
  q.replaceFeed(db, actor.id, hash, nowIso(now));
  return token;
}

export function revokeFeed(db: DB, actor: Actor): boolean {
  return q.deleteFeed(db, actor.id).changes === 1;
}

/** The member behind a feed token, or undefined (unknown, revoked, disabled account). */
export function feedOwner(db: DB, token: string): Actor | undefined {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const row = q.feedByHash(db, hashToken(token));
  return row ? loadActor(db, row.user_id) : undefined;
}

const parisLocal = (iso: string) => {
  const { date, time } = utcToParis(new Date(iso));
  return `${date.replace(/-/g, '')}T${time.replace(':', '')}00`;
};
const dateValue = (day: string) => day.replace(/-/g, '');
const nextDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

type FeedEvent = { uid: string; sequence: number; stamp: string; start: string[]; summary: string; description?: string; location?: string; url?: string };

/**
 * The member's calendar (RFC 5545, METHOD:PUBLISH) in Europe/Paris wall time: the interviews
 * they attend or organised, their regions' network events they have not declined, and the
 * onboarding meetings they own. A candidate is named only as this member may see them
 * (anonymised label while screening hides the identity), and never with contact details; an
 * interview of a candidate the member can no longer reach is left out.
 */
export function feedCalendar(db: DB, member: Actor, ctx: { t: Translate; baseUrl: string }, now = new Date()): string {
  const { t } = ctx;
  const from = nowIso(new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000));
  const stamp = icsUtc(now);
  const events: FeedEvent[] = [];
  for (const i of q.feedInterviews(db, member.id, from)) {
    const app = visibleApplication(db, member, i.application_id);
    if (!app) continue;
    const where = i.mode === 'video' ? i.video_url : i.location;
    events.push({
      uid: i.uid,
      sequence: i.sequence,
      stamp,
      start: [`DTSTART;TZID=Europe/Paris:${parisLocal(i.starts_at)}`, `DTEND;TZID=Europe/Paris:${parisLocal(i.ends_at)}`],
      summary: t('scheduling.feed.interview', { name: displayName(t, app), posting: postingLabel(i, t, member.locale) }),
      description: t('scheduling.feed.interviewDescription', { posting: postingLabel(i, t, member.locale), org: i.org_name, where }),
      location: where,
      url: `${ctx.baseUrl}/recrutement/candidatures/${i.application_id}/evaluation`,
    });
  }
  for (const e of q.feedEvents(db, member.id, networkRegionIds(db, member), from)) {
    const end = new Date(new Date(e.starts_at).getTime() + e.duration_minutes * 60_000).toISOString();
    events.push({
      uid: e.uid,
      sequence: e.sequence,
      stamp,
      start: [`DTSTART;TZID=Europe/Paris:${parisLocal(e.starts_at)}`, `DTEND;TZID=Europe/Paris:${parisLocal(end)}`],
      summary: e.title,
      description: e.agenda,
      location: e.place,
      url: `${ctx.baseUrl}/reseau/evenements/${e.id}`,
    });
  }
  for (const s of meetingStepsOf(db, member.id)) {
    events.push({
      uid: `onboarding-step-${s.step_id}@coordo`,
      sequence: 0,
      stamp,
      start: [`DTSTART;VALUE=DATE:${dateValue(s.due_date)}`, `DTEND;VALUE=DATE:${dateValue(nextDay(s.due_date))}`],
      summary: t('scheduling.feed.onboarding', { title: s.title, hire: s.hire_name }),
      description: t('scheduling.feed.onboardingDescription', { org: s.organisation_name }),
      url: `${ctx.baseUrl}/integration/${s.plan_id}#etape-${s.step_id}`,
    });
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Coordo//Agenda//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(t('scheduling.feed.name'))}`,
    'X-WR-TIMEZONE:Europe/Paris',
    ...PARIS_VTIMEZONE,
    ...events.flatMap((e) => [
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTAMP:${e.stamp}`,
      ...e.start,
      `SUMMARY:${icsText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${icsText(e.description)}`] : []),
      ...(e.location ? [`LOCATION:${icsText(e.location)}`] : []),
      ...(e.url ? [`URL:${e.url}`] : []),
      'STATUS:CONFIRMED',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ];
  q.touchFeed(db, member.id, nowIso(now));
  return foldIcs(lines.join('\r\n'));
}
