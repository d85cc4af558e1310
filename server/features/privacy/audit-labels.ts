import type { Messages } from '../../core/i18n.js';
import en from './audit-labels.en.js';
import fr from './audit-labels.fr.js';

/** Readable labels of the audit log's action codes and target types (the codes stay in the database). */
export const auditLabels: Messages = { fr, en };
