import type { Messages } from '../../core/i18n.js';
import en from './retention-messages.en.js';
import fr from './retention-messages.fr.js';

/** Retention preview and the bureau's GDPR actions (merged into the privacy catalogue). */
export const retentionMessages: Messages = { fr, en };
