import type { Messages } from '../../core/i18n.js';
import en from './kit-messages.en.js';
import fr from './kit-messages.fr.js';

/** The interview kit's compact form (issue 13), merged into the evaluation catalogue. */
export const kitMessages: Messages = { fr, en };
