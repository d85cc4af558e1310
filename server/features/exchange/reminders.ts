import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { formatDate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import * as q from './queries.js';
import { meetingStart, nextMeetingDate, type MailContext } from './service.js';

/** The agenda goes out this long before each meeting. */
export const MEETING_REMINDER_HOURS = 48;

/**
 * Sends each participant the agenda and the open action items before the next meeting of
 * every series. The meeting row's reminded_at is set with the queued mail (sent-marker), so a
 * second run, in this process or the CLI, sends nothing.
 */
export function sendMeetingReminders(db: DB, mail: MailContext, now = new Date()): { sent: number } {
  let sent = 0;
  const horizon = now.getTime() + MEETING_REMINDER_HOURS * 3600_000;
  for (const series of q.allSeries(db)) {
    const date = nextMeetingDate(series, now);
    if (!date) continue;
    const startsAt = meetingStart(series, date);
    const start = new Date(startsAt).getTime();
    if (start <= now.getTime() || start > horizon) continue;
    db.transaction(() => {
      q.insertMeeting(db, series.id, series.organisation_id, startsAt);
      const meeting = q.meetingAt(db, series.id, startsAt) as q.MeetingRow;
      if (!q.markMeetingReminded(db, meeting.id, nowIso(now))) return;
      const org = q.organisationById(db, series.organisation_id) as q.OrgRow;
      const agenda = q.agendaOfMeeting(db, meeting.id);
      const actions = q.openActionsOfSeries(db, series.id);
      const url = `${mail.baseUrl}/organisations/${org.id}/echange/${date}`;
      for (const person of q.usersByIds(db, q.participantIds(db, series.id))) {
        const t = mail.translator(person.locale);
        const message = simpleMail({
          subject: t('exchange.mail.reminder.subject', { org: org.name, when: formatDate(startsAt, person.locale, true) }),
          greeting: t('exchange.mail.greeting', { name: person.name }),
          paragraphs: [
            t('exchange.mail.reminder.intro', { org: org.name, when: formatDate(startsAt, person.locale, true) }),
            ...(series.place ? [t('exchange.mail.place', { place: series.place })] : []),
            ...(series.video_url ? [t('exchange.mail.video', { url: series.video_url })] : []),
            agenda.length ? t('exchange.mail.reminder.agenda', { n: agenda.length }) : t('exchange.mail.reminder.noAgenda'),
            ...agenda.map((a) => `• ${a.body} (${a.author_name ?? '?'})`),
            ...(actions.length ? [t('exchange.mail.reminder.actions', { n: actions.length })] : []),
            ...actions.map((a) => `• ${a.title} – ${a.owner_name ?? '?'}, ${formatDate(a.due_date, person.locale)}`),
          ],
          action: { label: t('exchange.mail.reminder.action'), url },
          footer: t('mail.footer'),
          lang: person.locale,
        });
        enqueueMail(db, { template: 'exchange.meeting.reminder', to: person.email, organisationId: org.id, ...message }, now);
      }
      sent++;
    })();
  }
  return { sent };
}
