import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './waiting-messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'waiting.title': 'Applications without a reply for more than {n} days',
  'waiting.definition': 'Every candidate gets an answer. An application is without a reply while it is at the “New application” stage and the CPTS has sent the candidate no e-mail other than the acknowledgement (a cancelled e-mail, or one held until the hire, does not count).',
  'waiting.setting': 'Change the delay',
  'waiting.none': 'No application is waiting for a reply beyond the delay.',
  'waiting.count': '{n, plural, one {{n} application waiting for a reply.} other {{n} applications waiting for a reply.}}',
  'waiting.caption': 'Applications without a reply, oldest first',
  'waiting.col.days': 'Days waiting',
  'waiting.form.title': 'Reply delay for candidates',
  'waiting.form.label': 'Days without a reply before an application is flagged',
  'waiting.form.hint': 'From 1 to 90 days (15 by default). Applications waiting longer appear on the bureau’s dashboard and in the daily digest.',
  'waiting.form.saved': 'Reply delay saved.',
  'waiting.errors.days': 'Give a number of days between 1 and 90.',
};
export default en;
