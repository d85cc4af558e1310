import type { Messages } from '../../core/i18n.js';
import en from './screening-messages.en.js';
import fr from './screening-messages.fr.js';

/** The screening view's strings (merged into the pipeline's catalogue). */
export const screeningMessages: Messages = { fr, en };
