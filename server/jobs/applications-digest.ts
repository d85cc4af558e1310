import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import { createI18n } from '../core/i18n.js';
import type { Logger } from '../core/logger.js';
import { commonMessages } from '../core/messages.js';
import type { Job } from '../core/scheduler.js';
import { messages as applicationMessages } from '../features/applications/messages.js';
// The pipeline names applications under anonymised screening ("Candidat·e n°5").
import { messages as pipelineMessages } from '../features/pipeline/messages.js';
import { sendApplicationDigests } from '../features/applications/service.js';

/**
 * The daily application digest of the CPTS that chose it. Checked every hour; at most one
 * digest per CPTS per day (recorded in application_digests), so restarts and the CLI
 * (`npx tsx server/jobs/cli.ts applications.digest`) never send twice.
 */
export function applicationsDigestJob(db: DB, config: Config, logger?: Logger): Job {
  // Each member's digest is written in their language (core/mail-locale.ts).
  const { translator } = createI18n([commonMessages, applicationMessages, pipelineMessages]);
  return {
    name: 'applications.digest',
    intervalMs: 3600_000,
    run: () => {
      const sent = sendApplicationDigests(db, { baseUrl: config.baseUrl, translator });
      if (sent) logger?.info('application digests queued', { organisations: sent });
      return { organisations: sent };
    },
  };
}
