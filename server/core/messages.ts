import type { Messages } from './i18n.js';
import en from './messages.en.js';
import fr from './messages.fr.js';

/** Layout, navigation, errors and validation messages shared by every feature. */
export const commonMessages: Messages = { fr, en };
