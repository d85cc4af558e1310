import type { Messages } from '../../core/i18n.js';
import en from './messages.en.js';
import fr from './messages.fr.js';
import { privacyNoticeMessages } from './privacy-messages.js';
import { accessibilityStatementMessages } from './accessibility-messages.js';

/** The public landing page, the privacy notice and the accessibility statement. */
export const messages: Messages = {
  fr: { ...fr, ...privacyNoticeMessages.fr, ...accessibilityStatementMessages.fr },
  en: { ...en, ...privacyNoticeMessages.en, ...accessibilityStatementMessages.en },
};
