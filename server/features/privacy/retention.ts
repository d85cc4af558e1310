/**
 * Retention of non-hired candidates' data (CNIL guidance, ../shared/DOMAIN.md): a candidate who
 * was not hired is anonymised `retentionMonths` after the end of their process (rejected,
 * withdrawn, or the posting filled/closed), or `talentPoolMonths` after the last contact when
 * they agreed to join the talent pool. Identity, contact, documents and free text go; the
 * stage history, scores and decision records stay, attached to an anonymous record. What goes
 * is decided by the same registry as erasure (personal-data.ts).
 *
 * The SQL lives here rather than in queries.ts because nothing else uses it and the rules read
 * better next to it.
 */
import type { DB } from '../../core/db.js';
import { checkpointAfterErasure, nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { forgetPerson, personOf } from './personal-data.js';
import { shredStored } from './shred.js';
import { compactPoolIndex } from '../pool/search-index.js';

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
      `SELECT a.id AS application_id, a.organisation_id, o.name AS org_name, a.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at,
              c.anon_number, s.name AS stage_name, MAX(a.talent_pool_consent, a.region_pool_consent) AS talent_pool_consent, a.last_contact_at,
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

/** When each ended application falls due, by the rule that applies to it (the regional pool's consent counts as the talent pool's: same 24 months). */
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

/**
 * Anonymises one application in one transaction, through the same registry of personal data
 * as erasure (personal-data.ts, mode 'anonymise'); returns the stored file names to remove
 * once the transaction committed. The application moves to a fresh anonymous candidate record
 * so the person's other (running) applications are untouched; the original record goes when
 * nothing else uses it.
 */
function anonymiseOne(db: DB, row: RetentionCandidate, at: string): { files: string[]; poolIndex: boolean } {
  const who = db.prepare('SELECT c.email FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.id = ?').get(row.application_id) as { email: string } | undefined;
  if (!who) return { files: [], poolIndex: false };
  const person = personOf(db, row.organisation_id, who.email, [row.application_id]);
  if (!person) return { files: [], poolIndex: false };
  const { files, poolIndex } = forgetPerson(db, person, 'anonymise');
  db.prepare('INSERT INTO retention_anonymisations (application_id, organisation_id, reason, due_at, anonymised_at) VALUES (?, ?, ?, ?, ?)').run(
    row.application_id,
    row.organisation_id,
    row.reason,
    row.due_at,
    at,
  );
  audit(db, { actorLabel: 'conservation', action: 'application.anonymised', organisationId: row.organisation_id, targetType: 'application', targetId: row.application_id, details: { reason: row.reason } });
  return { files, poolIndex };
}

/**
 * How long a mail that left (or was given up on) stays readable in the outbox page: long
 * enough to answer "was I told?", short enough that staff mails (invitations, resets,
 * notifications) do not pile up. Mails about a candidate go earlier, with their anonymisation.
 */
export const MAIL_KEPT_MONTHS = 12;

/** Deletes sent and failed mails queued more than MAIL_KEPT_MONTHS ago; pending ones stay. */
export function purgeOldMail(db: DB, now = new Date()): number {
  return db.prepare("DELETE FROM outbox WHERE status IN ('sent', 'failed') AND created_at < ?").run(addMonths(now.toISOString(), -MAIL_KEPT_MONTHS)).changes;
}

/** The daily job: anonymises every application due at `now`, in every CPTS, and purges old mail. */
export function runRetention(db: DB, settings: RetentionSettings & { uploadDir: string }, now = new Date()): { anonymised: number; mailsPurged: number } {
  const orgIds = (db.prepare('SELECT id FROM organisations').all() as { id: number }[]).map((o) => o.id);
  const due = dueForAnonymisation(db, orgIds, settings, now);
  const at = nowIso(now);
  let poolIndex = false;
  for (const row of due) {
    const done = db.transaction(() => anonymiseOne(db, row, at))();
    shredStored(settings.uploadDir, done.files);
    poolIndex ||= done.poolIndex;
  }
  if (poolIndex) compactPoolIndex(db);
  const mailsPurged = purgeOldMail(db, now);
  if (due.length || mailsPurged) checkpointAfterErasure(db);
  return { anonymised: due.length, mailsPurged };
}

export const isAnonymised = (db: DB, applicationId: number) =>
  db.prepare('SELECT 1 FROM retention_anonymisations WHERE application_id = ?').get(applicationId) !== undefined;
