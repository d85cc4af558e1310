import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './retention-messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'retention.title': 'Upcoming anonymisations — {name}',
  'retention.link': 'Upcoming anonymisations',
  'retention.intro':
    'Applications not hired are anonymised {retention} months after the end of the process (rejection, withdrawal, posting filled or closed), or {pool} months after the last contact for people who joined the talent pool. Identity, contact details, documents and free text are removed; stage history, scores and decisions are kept without identity. These are the applications concerned in the next 30 days.',
  'retention.caption': 'Applications anonymised in the next 30 days ({n})',
  'retention.none': 'No application will be anonymised in the next 30 days.',
  'retention.col.candidate': 'Application',
  'retention.col.org': 'CPTS',
  'retention.col.posting': 'Posting',
  'retention.col.stage': 'Stage',
  'retention.col.reason': 'Reason',
  'retention.col.due': 'Anonymised on',
  'retention.candidate': 'Candidate no. {n}',
  'retention.reason.process_ended': 'Process ended on {date}',
  'retention.reason.talent_pool_expired': 'Talent pool: last contact on {date}',
  'gdpr.title': 'Data subject rights (GDPR)',
  'gdpr.intro': 'At the person’s request: give them a copy of their data (ZIP with their documents), or erase their application. Both are recorded in the audit log.',
  'gdpr.export': 'Export their data (ZIP)',
  'gdpr.back': 'Back to the application',
  'gdpr.erase.link': 'Erase on request',
  'gdpr.erase.title': 'Erase an application at the person’s request',
  'gdpr.erase.body':
    'The application of {name} to “{posting}” will be deleted for good: identity, contact, message, documents (files included), notes and history. The audit log keeps only that an erasure happened. This cannot be undone.',
  'gdpr.erase.confirm': 'I confirm the person asked for their data to be erased.',
  'gdpr.erase.submit': 'Erase for good',
  'gdpr.errors.confirm': 'Tick the box to confirm the erasure request.',
  'gdpr.erased': 'The application was erased.',
};
export default en;
