import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import type { Logger } from '../core/logger.js';
import type { Job } from '../core/scheduler.js';
import { pruneRateLimits } from '../core/rate-limit-store.js';
import { SqliteSessionStore } from '../core/session-store.js';
import { applicationsDigestJob } from './applications-digest.js';
import { calibrationJob } from './calibration.js';
import { interviewRemindersJob } from './interview-reminders.js';
import { networkRemindersJob } from './network-reminders.js';
import { onboardingDigestJob } from './onboarding-digest.js';
import { outboxJob } from './outbox.js';
import { retentionJob } from './retention.js';

/**
 * Every background job of the app, in one list used by both the in-process scheduler
 * (server/main.ts) and the CLI (server/jobs/cli.ts). Add a job here, once.
 */
export function allJobs(db: DB, config: Config, logger: Logger): Job[] {
  const jobs: (Job | undefined)[] = [
    { name: 'sessions.prune', intervalMs: 3600_000, run: () => ({ removed: new SqliteSessionStore(db).prune() }) },
    { name: 'rate-limits.prune', intervalMs: 3600_000, run: () => ({ removed: pruneRateLimits(db) }) },
    outboxJob(db, config, logger),
    onboardingDigestJob(db, config, logger),
    networkRemindersJob(db, config, logger),
    applicationsDigestJob(db, config, logger),
    retentionJob(db, config, logger),
    interviewRemindersJob(db, config, logger),
    calibrationJob(db),
  ];
  return jobs.filter((j): j is Job => j !== undefined);
}
