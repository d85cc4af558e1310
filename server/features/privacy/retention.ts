/**
 * Retention of non-hired candidates' data (CNIL guidance, ../shared/DOMAIN.md): a candidate who
 * was not hired is anonymised `retentionMonths` after the end of their process (rejected,
 * withdrawn, or the posting filled/closed), or `talentPoolMonths` after the last contact when
 * they agreed to join the talent pool. Identity, contact, documents and free text go; the
 * stage history, scores and decision records stay, attached to an anonymous record.
 *
 * The SQL lives here rather than in queries.ts because nothing else uses it and the rules read
 * better next to it.
 */
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { removeStored } from '../applications/files.js';
import { eraseAnswers } from '../questions/service.js';

export type RetentionSettings = { retentionMonths: number; talentPoolMonths: number };
export type RetentionReason = 'process_ended' | 'talent_pool_expired';

export type RetentionCandidate = {
  application_id: number;
  organisation_id: number;
  org_name: string;
  posting_id: number;
  posting_title: string;
  anon_number: number | null;
  stage_name: string | null;
  talent_pool_consent: number;
  last_contact_at: string;
  ended_at: string;
  reason: RetentionReason;
  due_at: string;
};

/** The same day `months` later (clamped to the month's last day), in UTC. */
export function addMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.toISOString();
}

type EndedRow = Omit<RetentionCandidate, 'reason' | 'due_at'>;

/**
 * Applications whose process has ended without a hire and that are not anonymised yet. The
 * end is when the card reached Non retenu(e) / Désistement, else when the posting was filled
 * or closed. An accepted offer or the Recruté(e) stage means a hire: never anonymised here.
 */
function endedApplications(db: DB, organisationIds: number[]): EndedRow[] {
  if (organisationIds.length === 0) return [];
  return db
    .prepare(
      `SELECT a.id AS application_id, a.organisation_id, o.name AS org_name, a.posting_id, p.title AS posting_title,
              c.anon_number, s.name AS stage_name, a.talent_pool_consent, a.last_contact_at,
              CASE
                WHEN s.kind IN ('rejected', 'withdrawn') THEN COALESCE(c.entered_at, a.withdrawn_at, a.updated_at)
                WHEN a.status IN ('rejected', 'withdrawn') THEN COALESCE(a.withdrawn_at, a.updated_at)
                ELSE COALESCE(p.closed_at, p.updated_at)
              END AS ended_at
       FROM applications a
       JOIN postings p ON p.id = a.posting_id
       JOIN organisations o ON o.id = a.organisation_id
       LEFT JOIN pipeline_cards c ON c.application_id = a.id
       LEFT JOIN pipeline_stages s ON s.id = c.stage_id
       WHERE a.organisation_id IN (SELECT value FROM json_each(?))
         AND a.status <> 'hired'
         AND COALESCE(s.kind, '') <> 'hired'
         AND NOT EXISTS (SELECT 1 FROM offers f WHERE f.application_id = a.id AND f.status = 'accepted')
         AND NOT EXISTS (SELECT 1 FROM retention_anonymisations r WHERE r.application_id = a.id)
         AND (s.kind IN ('rejected', 'withdrawn') OR a.status IN ('rejected', 'withdrawn') OR p.status IN ('filled', 'closed'))`,
    )
    .all(JSON.stringify(organisationIds)) as EndedRow[];
}

/** When each ended application falls due, by the rule that applies to it. */
export function withDueDates(rows: EndedRow[], settings: RetentionSettings): RetentionCandidate[] {
  return rows.map((r) => {
    if (r.talent_pool_consent === 1) {
      const from = r.last_contact_at > r.ended_at ? r.last_contact_at : r.ended_at;
      return { ...r, reason: 'talent_pool_expired' as const, due_at: addMonths(from, settings.talentPoolMonths) };
    }
    return { ...r, reason: 'process_ended' as const, due_at: addMonths(r.ended_at, settings.retentionMonths) };
  });
}

/** Who will be anonymised by `until` (already due ones included), soonest first. */
export function dueForAnonymisation(db: DB, organisationIds: number[], settings: RetentionSettings, until: Date): RetentionCandidate[] {
  const limit = until.toISOString();
  return withDueDates(endedApplications(db, organisationIds), settings)
    .filter((r) => r.due_at <= limit)
    .sort((a, b) => a.due_at.localeCompare(b.due_at) || a.application_id - b.application_id);
}

/** The preview page: the next `days` days. */
export function retentionPreview(db: DB, organisationIds: number[], settings: RetentionSettings, now = new Date(), days = 30) {
  return dueForAnonymisation(db, organisationIds, settings, new Date(now.getTime() + days * 86_400_000));
}

const ANONYMOUS = '[anonymisé]';

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Anonymises one application in one transaction; returns the stored file names to delete once
 * the transaction committed. The application is moved to a fresh anonymous candidate record so
 * the person's other applications (still running) are untouched; the original record goes when
 * nothing else uses it.
 */
function anonymiseOne(db: DB, row: RetentionCandidate, at: string): string[] {
  const app = db.prepare('SELECT a.candidate_id, c.email, c.first_name, c.last_name, c.phone FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?').get(row.application_id) as
    | { candidate_id: number; email: string; first_name: string; last_name: string; phone: string }
    | undefined;
  if (!app) return [];
  const docs = db.prepare('SELECT stored_name FROM application_documents WHERE application_id = ?').all(row.application_id) as { stored_name: string }[];
  const id = row.application_id;
  const anonId = Number(
    db
      .prepare("INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, '', '', '', ?, ?)")
      .run(row.organisation_id, `anonyme-${id}@anonymise.invalid`, at, at).lastInsertRowid,
  );
  // Mails sent to the person about this application: the pipeline links them; the others
  // (receipt, digest answers) are found by address, within the CPTS, once the record goes.
  db.prepare(
    `UPDATE outbox SET to_address = ?, subject = ?, text_body = '', html_body = ''
     WHERE id IN (SELECT outbox_id FROM pipeline_mails WHERE application_id = ? AND outbox_id IS NOT NULL)`,
  ).run(`anonyme-${id}@anonymise.invalid`, ANONYMOUS, id);
  db.prepare(
    `UPDATE applications SET candidate_id = ?, message = '', updated_at = ?
     WHERE id = ?`,
  ).run(anonId, at, id);
  db.prepare('DELETE FROM application_documents WHERE application_id = ?').run(id);
  db.prepare('DELETE FROM application_links WHERE application_id = ?').run(id);
  db.prepare("UPDATE application_events SET details = '{}' WHERE application_id = ?").run(id);
  db.prepare('DELETE FROM pipeline_notes WHERE application_id = ?').run(id);
  // Answers to the posting's questions are what the person wrote about themselves.
  eraseAnswers(db, id);
  db.prepare("UPDATE pipeline_moves SET comment = '' WHERE application_id = ?").run(id);
  db.prepare('UPDATE pipeline_cards SET rejection_text = NULL WHERE application_id = ?').run(id);
  db.prepare('UPDATE pipeline_mails SET subject = ? WHERE application_id = ?').run(ANONYMOUS, id);
  db.prepare('UPDATE offers SET decline_text = NULL WHERE application_id = ?').run(id);
  // Panel summaries and comments are free text about the person; levels and recommendations stay.
  db.prepare("UPDATE evaluations SET summary = '', amendment_reason = '' WHERE application_id = ?").run(id);
  db.prepare("UPDATE evaluation_ratings SET comment = '' WHERE evaluation_id IN (SELECT id FROM evaluations WHERE application_id = ?)").run(id);
  // Decision records stay (evidence of a job-related selection), without the person's name.
  const names = [app.email, `${app.first_name} ${app.last_name}`, app.last_name, app.phone].filter((s) => s.trim().length >= 2);
  for (const name of names) {
    db.prepare(`UPDATE decisions SET rationale = replace(rationale, ?, ?) WHERE application_id = ? AND rationale LIKE ? ESCAPE '\\'`).run(name, ANONYMOUS, id, `%${escapeLike(name)}%`);
  }
  // Each application has its own candidate row (migration 015); the person's other applications
  // in this CPTS are found by address, and their mails stay while one of them runs.
  const stillUsed = db
    .prepare('SELECT 1 FROM candidates c JOIN applications a ON a.candidate_id = c.id WHERE c.organisation_id = ? AND c.email = ? COLLATE NOCASE AND c.id <> ?')
    .get(row.organisation_id, app.email, app.candidate_id);
  db.prepare('DELETE FROM candidates WHERE id = ?').run(app.candidate_id);
  if (!stillUsed) {
    db.prepare(
      `UPDATE outbox SET to_address = ?, subject = ?, text_body = '', html_body = ''
       WHERE to_address = ? COLLATE NOCASE AND organisation_id = ?`,
    ).run(`anonyme-${id}@anonymise.invalid`, ANONYMOUS, app.email, row.organisation_id);
  }
  db.prepare('INSERT INTO retention_anonymisations (application_id, organisation_id, reason, due_at, anonymised_at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    row.organisation_id,
    row.reason,
    row.due_at,
    at,
  );
  audit(db, { actorLabel: 'conservation', action: 'application.anonymised', organisationId: row.organisation_id, targetType: 'application', targetId: id, details: { reason: row.reason } });
  return docs.map((d) => d.stored_name);
}

/** The daily job: anonymises every application due at `now`, in every CPTS. */
export function runRetention(db: DB, settings: RetentionSettings & { uploadDir: string }, now = new Date()): { anonymised: number } {
  const orgIds = (db.prepare('SELECT id FROM organisations').all() as { id: number }[]).map((o) => o.id);
  const due = dueForAnonymisation(db, orgIds, settings, now);
  const at = nowIso(now);
  for (const row of due) {
    const files = db.transaction(() => anonymiseOne(db, row, at))();
    removeStored(settings.uploadDir, files);
  }
  return { anonymised: due.length };
}

export const isAnonymised = (db: DB, applicationId: number) =>
  db.prepare('SELECT 1 FROM retention_anonymisations WHERE application_id = ?').get(applicationId) !== undefined;
