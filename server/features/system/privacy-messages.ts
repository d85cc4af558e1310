import type { Messages } from '../../core/i18n.js';
import en from './privacy-messages.en.js';
import fr from './privacy-messages.fr.js';

/** The public privacy notice (/donnees-personnelles). */
export const privacyNoticeMessages: Messages = { fr, en };
