import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import type { Logger } from '../core/logger.js';
import { commonMessages } from '../core/messages.js';
import type { Job } from '../core/scheduler.js';
import { escalateOverdueSteps, sendOnboardingDigests } from '../features/onboarding/digest.js';
import { messages as onboardingMessages } from '../features/onboarding/messages.js';

/**
 * The daily onboarding reminder. It is checked every hour and sends at most one digest per
 * owner per day (recorded in onboarding_digests), so a restart or the CLI never sends twice.
 */
export function onboardingDigestJob(db: DB, config: Config, logger?: Logger): Job {
  const i18n = createI18n([commonMessages, onboardingMessages]);
  return {
    name: 'onboarding.digest',
    intervalMs: 3600_000,
    run: () => {
      const ctx = { baseUrl: config.baseUrl, translator: i18n.translator };
      const { sent } = sendOnboardingDigests(db, ctx);
      const escalated = escalateOverdueSteps(db, ctx);
      if (sent || escalated.sent) logger?.info('onboarding digests queued', { sent, escalated: escalated.sent });
      return { sent, escalated: escalated.sent };
    },
  };
}
