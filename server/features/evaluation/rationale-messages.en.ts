import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './rationale-messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'rationale.legend': 'Reasons per criterion',
  'rationale.lead': 'For an offer or a hire, write a reason for each must-have criterion not met, and, when better-ranked candidates are still in the running, for at least one criterion. For a rejection these reasons are optional.',
  'rationale.mustHave': 'Must-have criterion not met according to the panel: explain why you override it.',
  'rationale.rank': '{n, plural, one {{n} better-ranked application} other {{n} better-ranked applications}} still in the running: say, on at least one criterion, what justifies this choice.',
  'rationale.below': 'The best-ranked application scores higher on this criterion.',
  'rationale.optional': 'Optional.',
  'rationale.why.must_have': 'must-have criterion not met',
  'rationale.why.rank': 'lower-ranked application chosen',
  'rationale.why.note': 'note',
  'rationale.reused': 'Rationale carried forward from the offer decision.',
  'rationale.timing.legend': 'For a rejection, when should the e-mail leave?',
  'rationale.print.link': 'Printable version (every detail, no JavaScript)',
  'rationale.print.title': 'Decision record – {posting} (printable version)',
  'rationale.print.printedAt': 'Printed on {date}.',
  'rationale.print.back': 'Back to the record',
  'rationale.print.hint': 'Print this page with the browser’s print command (Ctrl+P or ⌘+P): every detail is already on it.',
  'evaluation.errors.mustHaveRationale': 'The panel found this must-have criterion unmet: write why you override it.',
  'evaluation.errors.rankRationale': 'Better-ranked applications are still in the running: write, on at least one criterion, what justifies this choice.',
  'evaluation.errors.criterionTooLong': 'The reason must not exceed 1,000 characters.',
  'evaluation.errors.offerRationaleIncomplete': 'The offer’s rationale no longer covers what the current ranking asks (must-have or rank): use the “Reasoned decision” form or write a new complete rationale here.',
};
export default en;
