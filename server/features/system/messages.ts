import type { Messages } from '../../core/i18n.js';
import en from './messages.en.js';
import fr from './messages.fr.js';
import { privacyNoticeMessages } from './privacy-messages.js';

/** The public landing page and the privacy notice. */
export const messages: Messages = {
  fr: { ...fr, ...privacyNoticeMessages.fr },
  en: { ...en, ...privacyNoticeMessages.en },
};
