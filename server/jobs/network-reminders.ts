import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import type { Logger } from '../core/logger.js';
import { commonMessages } from '../core/messages.js';
import type { Job } from '../core/scheduler.js';
import { sendEventReminders } from '../features/network/events.js';
import { messages as networkMessages } from '../features/network/messages.js';
import { sendMeetingReminders } from '../features/exchange/reminders.js';
import { messages as exchangeMessages } from '../features/exchange/messages.js';

/**
 * Reminders before network events and coordinator–bureau meetings. Checked every 15 minutes;
 * each invitation or meeting carries its sent-marker, so reruns and the CLI never send twice.
 */
export function networkRemindersJob(db: DB, config: Config, logger?: Logger): Job {
  const i18n = createI18n([commonMessages, networkMessages, exchangeMessages]);
  const mail = { baseUrl: config.baseUrl, translator: i18n.translator };
  return {
    name: 'network.reminders',
    intervalMs: 15 * 60_000,
    run: () => {
      const events = sendEventReminders(db, mail);
      const meetings = sendMeetingReminders(db, mail);
      if (events.sent || meetings.sent) logger?.info('reminders queued', { events: events.sent, meetings: meetings.sent });
    },
  };
}
