import type { Messages } from '../../core/i18n.js';
import en from './rationale-messages.en.js';
import fr from './rationale-messages.fr.js';

/** Texts of the per-criterion rationale and the printable decision record. */
export const rationaleMessages: Messages = { fr, en };
