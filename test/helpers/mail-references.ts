/**
 * Postings of the same title are told apart in every mail (issue 13), checked on the outbox of
 * every test context when it closes (helpers/app.ts): a mail any feature adds, produced by any
 * test, is held to the rule without being listed anywhere. Each occurrence of a posting's title
 * in what a reader reads of a mail (subject, text, HTML) must be followed by a posting's
 * reference. Any posting's, not only one of that title: a mail keeps the title the posting had
 * when it was written, and a posting may be renamed since (the reference is permanent). Titles
 * of fewer than MIN_TITLE characters are left out: tests name postings "Coordination" and the
 * like, words that also stand in ordinary sentences.
 */
import type { DB } from '../../server/core/db.js';
import { readableText, unreferenced } from './posting-reference-text.js';

const MIN_TITLE = 14;

export function mailsWithBareTitles(db: DB): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get();
  if (!exists) return [];
  const postings = db.prepare('SELECT title, reference FROM postings WHERE reference IS NOT NULL').all() as { title: string; reference: string }[];
  const refs = [...new Set(postings.map((p) => p.reference))];
  const titles = [...new Set(postings.map((p) => p.title).filter((t) => t.trim().length >= MIN_TITLE))];
  if (!titles.length) return [];
  const longerOf = new Map(titles.map((t) => [t, titles.filter((o) => o !== t && o.startsWith(t))]));
  const mails = db.prepare('SELECT id, template, subject, text_body, html_body FROM outbox').all() as { id: number; template: string; subject: string; text_body: string; html_body: string | null }[];
  const found: string[] = [];
  const fold = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');
  for (const m of mails) {
    const parts: [string, string][] = [
      ['subject', fold(m.subject)],
      ['text', fold(m.text_body)],
      ['html', readableText(m.html_body ?? '')],
    ];
    for (const [part, text] of parts) {
      for (const title of titles) {
        for (const bare of unreferenced(text, title, refs, longerOf.get(title))) found.push(`mail ${m.id} (${m.template}), ${part}: ${bare}`);
      }
    }
  }
  return found;
}
