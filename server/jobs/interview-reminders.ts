import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import type { Logger } from '../core/logger.js';
import { commonMessages } from '../core/messages.js';
import type { Job } from '../core/scheduler.js';
import { messages as evaluationMessages } from '../features/evaluation/messages.js';
import { messages as interviewMessages } from '../features/interviews/messages.js';
import { messages as pipelineMessages } from '../features/pipeline/messages.js';
import { messages as schedulingMessages } from '../features/scheduling/messages.js';
import { sendInterviewReminders } from '../features/scheduling/reminders.js';

/**
 * The day-before interview reminder to the candidate and the attending panel. Checked every
 * hour; at most one reminder per interview and start time (recorded in interview_reminders
 * with the mails), so restarts and the CLI (`npx tsx server/jobs/cli.ts interviews.reminders`)
 * never send twice.
 */
export function interviewRemindersJob(db: DB, config: Config, logger?: Logger, now: () => Date = () => new Date()): Job {
  // Each reminder is written in its recipient's language (core/mail-locale.ts).
  const { translator } = createI18n([commonMessages, pipelineMessages, evaluationMessages, interviewMessages, schedulingMessages]);
  return {
    name: 'interviews.reminders',
    intervalMs: 3600_000,
    run: () => {
      const sent = sendInterviewReminders(db, { baseUrl: config.baseUrl, translator }, now());
      if (sent) logger?.info('interview reminders queued', { interviews: sent });
      return sent;
    },
  };
}
