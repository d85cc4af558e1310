import type { Messages } from '../../core/i18n.js';
import en from './accessibility-messages.en.js';
import fr from './accessibility-messages.fr.js';

/** The accessibility statement (/accessibilite), in the sections of the RGAA model. */
export const accessibilityStatementMessages: Messages = { fr, en };
