import type { Messages } from '../../core/i18n.js';
import en from './messages.en.js';
import fr from './messages.fr.js';
import { screeningMessages } from './screening-messages.js';

export const messages: Messages = {
  fr: { ...screeningMessages.fr, ...fr },
  en: { ...screeningMessages.en, ...en },
};
