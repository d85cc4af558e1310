import { loadActor } from '../../core/auth.js';
import { postingLabel, postingLabelShort } from '../../core/posting-label.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { formatDate, parisDay, type Locale, type Translate } from '../../core/i18n.js';
import { writerFor, type Translators } from '../../core/mail-locale.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { parisToUtc } from '../interviews/time.js';
import * as q from './queries.js';
import { visibleApplication } from './service.js';

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The day-before reminder of every scheduled interview (booked by a candidate or planned by
 * the bureau): on the Paris day before it, one mail to the candidate and one to each attending
 * panel member (which does not name the candidate). A row per (interview, start) in interview_reminders, written in the same
 * transaction as the mails, makes a second run (another process, the CLI) send nothing; an
 * interview moved to another day is reminded again.
 */
export function sendInterviewReminders(db: DB, ctx: { baseUrl: string; translator: Translators }, now = new Date()): number {
  const tomorrow = nextDay(parisDay(now));
  const from = parisToUtc(tomorrow, '00:00') as Date;
  const to = parisToUtc(nextDay(tomorrow), '00:00') as Date;
  let sent = 0;
  for (const row of q.interviewsToRemind(db, nowIso(from), nowIso(to))) {
    const done = db.transaction(() => {
      if (q.recordReminder(db, row.id, row.starts_at, nowIso(now)).changes !== 1) return false;
      // Each reminder in its recipient's language, its date too.
      const written = (to: { locale: Locale; t: Translate }) => ({
        ...to,
        when: formatDate(row.starts_at, to.locale, true),
        where: row.mode === 'video' ? to.t('interviews.mail.video', { where: row.video_url }) : to.t('interviews.mail.place', { where: row.location }),
      });
      const { t, locale, when, where } = written(writerFor(db, ctx, { applicationId: row.application_id }));
      const candidateMail = simpleMail({
        subject: t('scheduling.mail.reminder.subject', { posting: postingLabelShort(row, t), when }),
        greeting: t('interviews.mail.greeting', { name: row.candidate_name }),
        paragraphs: [t('scheduling.mail.reminder.candidate', { posting: postingLabelShort(row, t), org: row.org_name, when, minutes: row.duration_minutes }), where],
        footer: t('mail.footer'),
        lang: locale,
      });
      enqueueMail(db, { template: 'scheduling.reminder', to: row.candidate_email, organisationId: row.organisation_id, ...candidateMail }, now);
      for (const member of q.attendeesOf(db, row.id)) {
        // The panel's reminder never names the candidate (no copy of their identity in mail, and
        // nothing to hide while screening is anonymous); the kit, behind its access rules, does.
        const viewer = loadActor(db, member.id);
        const mayOpenKit = viewer !== undefined && visibleApplication(db, viewer, row.application_id) !== undefined;
        const { t, locale, when, where } = written(writerFor(db, ctx, { userId: member.id }));
        const mail = simpleMail({
          subject: t('scheduling.mail.reminder.subject', { posting: postingLabel(row, t, locale), when }),
          greeting: t('interviews.mail.greeting', { name: member.name }),
          paragraphs: [t('scheduling.mail.reminder.panel', { posting: postingLabel(row, t, locale), org: row.org_name, when, minutes: row.duration_minutes }), where],
          action: mayOpenKit ? { label: t('interviews.mail.kit'), url: `${ctx.baseUrl}/recrutement/candidatures/${row.application_id}/evaluation` } : undefined,
          footer: t('mail.footer'),
          lang: locale,
        });
        enqueueMail(db, { template: 'scheduling.reminder', to: member.email, organisationId: row.organisation_id, ...mail }, now);
      }
      return true;
    })();
    if (done) sent++;
  }
  return sent;
}
