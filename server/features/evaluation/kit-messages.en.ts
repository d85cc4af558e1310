import type { CatalogueLike } from '../../core/i18n.js';
import type fr from './kit-messages.fr.js';

/** English: the same keys and arguments as the French file. */
const en: CatalogueLike<typeof fr> = {
  'evaluation.kit.details': 'Levels, questions and comment',
  'evaluation.kit.progress': 'Criteria filled in: {n} of {total}',
  'evaluation.kit.autosaved': 'Draft saved automatically at {time}.',
  'evaluation.kit.autosaveFailed': 'The draft could not be saved automatically: use “Save draft”.',
};
export default en;
