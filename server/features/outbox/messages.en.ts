import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'outbox.title': 'E-mails',
  'outbox.intro': 'Every e-mail Coordo has written, newest first ({total}).',
  'outbox.noSmtp': 'No SMTP server is configured (SMTP_URL): e-mails stay here, readable, and are not sent. Forward an invitation link yourself if needed.',
  'outbox.smtp': 'E-mails are sent through the configured SMTP server, retried on failure.',
  'outbox.filter': 'Filter by status',
  'outbox.filter.all': 'All',
  'outbox.filter.submit': 'Filter',
  'outbox.to': 'Recipient',
  'outbox.subject': 'Subject',
  'outbox.status': 'Status',
  'outbox.created': 'Written on',
  'outbox.sentAt': 'Sent on',
  'outbox.attempts': 'Attempts',
  'outbox.lastError': 'Last error',
  'outbox.status.pending': 'Pending',
  'outbox.status.sending': 'Sending',
  'outbox.status.sent': 'Sent',
  'outbox.status.failed': 'Failed',
  'outbox.text': 'Text version',
  'outbox.html': 'HTML version',
  'outbox.htmlFrame': 'Preview of the e-mail’s HTML version',
  'outbox.requeue': 'Send again',
  'outbox.requeued': 'The e-mail is back in the sending queue.',
  'outbox.back': 'All e-mails',
};
export default en;
