import type { Messages } from '../../core/i18n.js';
import en from './candidate-mail-messages.en.js';
import fr from './candidate-mail-messages.fr.js';

/** Texts of the candidate mails' timing: the undo window and the mails held until the post is filled. */
export const candidateMailMessages: Messages = { fr, en };
