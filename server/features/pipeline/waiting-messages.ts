import type { Messages } from '../../core/i18n.js';
import en from './waiting-messages.en.js';
import fr from './waiting-messages.fr.js';

/** Texts of the applications waiting for a reply (dashboard, digest, setting). */
export const waitingMessages: Messages = { fr, en };
