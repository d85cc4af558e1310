import type { Config } from '../core/config.js';
import type { DB } from '../core/db.js';
import type { Logger } from '../core/logger.js';
import { createTransport, deliverDueMail, type MailTransport } from '../core/mailer.js';
import type { Job } from '../core/scheduler.js';

/** Sends due outbox mail every 10 s when SMTP is configured. */
export function outboxJob(db: DB, config: Config, logger: Logger, transport?: MailTransport): Job | undefined {
  if (!config.smtpUrl && !transport) return undefined;
  const t = transport ?? createTransport(config.smtpUrl as string);
  return { name: 'outbox.send', intervalMs: 10_000, run: () => deliverDueMail(db, t, { from: config.mailFrom, logger }) };
}
