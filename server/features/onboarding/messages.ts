import type { Messages } from '../../core/i18n.js';
import en from './messages.en.js';
import fr from './messages.fr.js';

export const messages: Messages = { fr, en };
