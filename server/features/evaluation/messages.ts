import type { Messages } from '../../core/i18n.js';
import en from './messages.en.js';
import fr from './messages.fr.js';
import { kitMessages } from './kit-messages.js';

export const messages: Messages = {
  fr: { ...kitMessages.fr, ...fr },
  en: { ...kitMessages.en, ...en },
};
