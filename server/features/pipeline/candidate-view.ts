import type { Translate } from '../../core/i18n.js';
import { documentName, maskedRow, presentIdentity } from './anonymity.js';
import type { candidatePage } from './candidate.js';

/**
 * The candidate page as this user may read it (the anonymity rule): while masked, the row
 * carries no identity, and the free text around it (the candidate's message, notes, move
 * comments, subjects of mails sent) and the document names are redacted.
 */
export function candidateViewModel(t: Translate, page: ReturnType<typeof candidatePage>) {
  const identity = presentIdentity(t, page.app);
  const redact = identity.redact;
  return {
    ...page,
    app: { ...maskedRow(t, page.app), message: redact(page.app.message), rejection_text: page.app.rejection_text === null ? null : redact(page.app.rejection_text) },
    identity,
    label: identity.label,
    documents: page.documents.map((d) => (identity.masked ? { ...d, original_name: documentName(d) } : d)),
    timeline: page.timeline.map((e) => {
      if (!identity.masked) return e;
      if (e.type === 'note') return { ...e, note: { ...e.note, body: redact(e.note.body) } };
      if (e.type === 'move') return { ...e, move: { ...e.move, comment: redact(e.move.comment) } };
      if (e.type === 'mail') return { ...e, mail: { ...e.mail, subject: redact(e.mail.subject) } };
      if (e.type === 'document') return { ...e, document: { ...e.document, original_name: documentName(e.document) } };
      return e;
    }),
  };
}
