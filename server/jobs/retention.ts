import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import type { Logger } from '../core/logger.js';
import type { Job } from '../core/scheduler.js';
import { runRetention } from '../features/privacy/retention.js';

/**
 * Anonymises non-hired candidates once their retention period is over, and purges mail kept
 * longer than MAIL_KEPT_MONTHS. Checked every hour
 * (cheap when nothing is due), so a day's due applications go the same day; idempotent.
 *   npx tsx server/jobs/cli.ts retention.anonymise
 */
export function retentionJob(db: DB, config: Config, logger?: Logger, now: () => Date = () => new Date()): Job {
  return {
    name: 'retention.anonymise',
    intervalMs: 3600_000,
    run: () => {
      const { anonymised, mailsPurged } = runRetention(db, { retentionMonths: config.retentionMonths, talentPoolMonths: config.talentPoolMonths, uploadDir: config.uploadDir }, now());
      if (anonymised || mailsPurged) logger?.info('applications anonymised', { anonymised, mailsPurged });
      return anonymised;
    },
  };
}
