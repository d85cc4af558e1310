/**
 * The regional pool's full-text index (table region_pool_fts, migration 028), the pool's
 * published module beside its service: the applications feature calls it when a shared
 * application is created or changed through the candidate's link, the privacy registry when
 * a person is erased or anonymised. One row per shared application (rowid = application id):
 * its message, its answers to the posting's questions and its documents' extracted text with the
 * candidate's identity left out (the
 * pool names candidates through the anonymity rule, a search for a name must not find a masked
 * one), and its region as a token so a search stays in the region.
 */
import type { DB } from '../../core/db.js';
import { redactIdentity } from '../pipeline/anonymity.js';

/** The region as the index spells it: a token no French word is. */
export const regionToken = (regionId: number) => `reg${regionId}x`;

type Indexable = { id: number; message: string; region_pool_consent: number; region_id: number; first_name: string; last_name: string; email: string; phone: string; anonymised: number };

/** The text the index holds for an application: what it said and its documents said, without who said it. */
function indexedText(db: DB, a: Indexable): string {
  const texts = db.prepare('SELECT body FROM document_texts WHERE application_id = ? ORDER BY document_id').pluck().all(a.id) as string[];
  // The answers to the posting's own questions (questions feature, migration 026).
  const answers = db.prepare('SELECT value FROM application_answers WHERE application_id = ? ORDER BY question_id').pluck().all(a.id) as string[];
  const identity = { full_name: `${a.first_name} ${a.last_name}`.trim(), first_name: a.first_name, last_name: a.last_name, email: a.email, phone: a.phone };
  return redactIdentity([a.message, ...answers, ...texts].join('\n'), identity, ' ');
}

/** Brings one application's index row in line with its consent and text (removes it when not shared). */
export function indexPoolApplication(db: DB, applicationId: number): void {
  db.prepare('DELETE FROM region_pool_fts WHERE rowid = ?').run(applicationId);
  const a = db
    .prepare(
      `SELECT a.id, a.message, a.region_pool_consent, o.region_id, c.first_name, c.last_name, c.email, c.phone,
              EXISTS (SELECT 1 FROM retention_anonymisations r WHERE r.application_id = a.id) AS anonymised
       FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?`,
    )
    .get(applicationId) as Indexable | undefined;
  if (!a || a.region_pool_consent !== 1 || a.anonymised) return;
  db.prepare('INSERT INTO region_pool_fts (rowid, body, region) VALUES (?, ?, ?)').run(a.id, indexedText(db, a), regionToken(a.region_id));
}

/**
 * Removes applications from the index and their documents' extracted text (erasure, retention,
 * consent withdrawn). True when index rows went: then call compactPoolIndex once committed.
 */
export function removeFromPool(db: DB, applicationIds: number[]): boolean {
  const ids = JSON.stringify(applicationIds);
  const removed = db.prepare('DELETE FROM region_pool_fts WHERE rowid IN (SELECT value FROM json_each(?))').run(ids).changes;
  db.prepare('DELETE FROM document_texts WHERE application_id IN (SELECT value FROM json_each(?))').run(ids);
  return removed > 0;
}

/**
 * FTS5's secure-delete removes a deleted row's postings, but a term no other row uses may stay
 * in a segment's leaf until segments are merged: a rare word of an erased CV would stay in the
 * file (test/privacy/erasure-scan.test.ts finds it). 'optimize' merges every segment, which
 * leaves only live terms; about a second on the national benchmark's index, so it runs once
 * after an erasure, a retention run or a withdrawn consent, outside their transaction.
 */
export function compactPoolIndex(db: DB): void {
  db.prepare("INSERT INTO region_pool_fts (region_pool_fts) VALUES ('optimize')").run();
}

/** The text extracted from one document at upload, kept for the index. */
export function saveDocumentText(db: DB, documentId: number, applicationId: number, body: string, at: string): void {
  if (!body) return;
  db.prepare('INSERT OR REPLACE INTO document_texts (document_id, application_id, body, extracted_at) VALUES (?, ?, ?, ?)').run(documentId, applicationId, body, at);
}

/**
 * A visitor's words as an FTS5 query: each word (letters and digits, 2+ characters) a quoted
 * prefix term, all required; undefined when nothing is left to search for. Never FTS5 syntax
 * from the user (a stray quote or NEAR would be an error or another query).
 */
export function ftsQuery(text: string): string | undefined {
  const words = (text.normalize('NFC').match(/[\p{L}\p{N}]{2,}/gu) ?? []).slice(0, 8);
  if (!words.length) return undefined;
  // A short word as a prefix ("de"*) would expand to much of the vocabulary: whole words only.
  return words.map((w) => (w.length >= MIN_PREFIX ? `"${w}"*` : `"${w}"`)).join(' ');
}

/** Words from this length on also find the words they begin ("coordin" finds "coordinatrice"). */
export const MIN_PREFIX = 4;
