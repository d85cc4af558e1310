import type { Messages } from '../../core/i18n.js';
import en from './access-messages.en.js';
import fr from './access-messages.fr.js';

/** The access export's readable summary and the erasure pages (merged into the privacy catalogue). */
export const accessMessages: Messages = { fr, en };
