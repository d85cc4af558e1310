import type { DB } from '../../core/db.js';
import type { PostingLabelRow } from '../../core/posting-label.js';
import type { Locale } from '../../core/i18n.js';

export type PostingRef = { id: number; organisation_id: number; region_id: number; slug: string; title: string; reference: string; status: string; org_name: string; org_email: string | null };

export const postingRef = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT p.id, p.organisation_id, o.region_id, p.slug, p.title, p.reference, p.published_at, p.deadline, p.closed_at, p.status, o.name AS org_name, o.email AS org_email
       FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?`,
    )
    .get(id) as PostingRef | undefined;

/**
 * One candidate row per application, in the application's CPTS (migration 015): a public form
 * creates one and nothing ever rewrites it from a form.
 */
export const insertCandidate = (db: DB, c: { organisation_id: number; email: string; first_name: string; last_name: string; phone: string }, now: string) =>
  Number(
    db
      .prepare('INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(c.organisation_id, c.email, c.first_name, c.last_name, c.phone, now, now).lastInsertRowid,
  );

export type ApplicationRow = {
  id: number;
  posting_id: number;
  organisation_id: number;
  candidate_id: number;
  status: string;
  message: string;
  source: string;
  talent_pool_consent: number;
  talent_pool_at: string | null;
  region_pool_consent: number;
  region_pool_at: string | null;
  notified_at: string | null;
  withdrawn_at: string | null;
  last_contact_at: string;
  created_at: string;
  updated_at: string;
};

const APP_COLUMNS = `a.id, a.posting_id, a.organisation_id, a.candidate_id, a.status, a.message, a.source, a.talent_pool_consent,
  a.talent_pool_at, a.region_pool_consent, a.region_pool_at, a.notified_at, a.withdrawn_at, a.last_contact_at, a.created_at, a.updated_at`;

/** The application already sent to this posting with this address (any case), within the posting's CPTS. */
export const applicationAtPostingByEmail = (db: DB, postingId: number, organisationId: number, email: string) =>
  db
    .prepare(
      `SELECT ${APP_COLUMNS}, c.first_name, c.last_name FROM candidates c JOIN applications a ON a.candidate_id = c.id
       WHERE c.organisation_id = ? AND c.email = ? COLLATE NOCASE AND a.posting_id = ? ORDER BY a.id LIMIT 1`,
    )
    .get(organisationId, email, postingId) as (ApplicationRow & { first_name: string; last_name: string }) | undefined;

export function insertApplication(
  db: DB,
  a: { posting_id: number; organisation_id: number; candidate_id: number; message: string; source: string; talent_pool_consent: number; talent_pool_at: string | null; region_pool_consent?: number; region_pool_at?: string | null; notified_at: string | null; locale: Locale },
  now: string,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO applications (posting_id, organisation_id, candidate_id, message, source, talent_pool_consent, talent_pool_at, region_pool_consent, region_pool_at, notified_at, locale, last_contact_at, created_at, updated_at)
         VALUES (@posting_id, @organisation_id, @candidate_id, @message, @source, @talent_pool_consent, @talent_pool_at, @region_pool_consent, @region_pool_at, @notified_at, @locale, @now, @now, @now)`,
      )
      .run({ region_pool_consent: 0, region_pool_at: null, ...a, now }).lastInsertRowid,
  );
}

/** The candidate changed their message through their private link (proof of the address). */
export const setMessage = (db: DB, id: number, message: string, now: string) =>
  db.prepare('UPDATE applications SET message = ?, updated_at = ?, last_contact_at = ? WHERE id = ?').run(message, now, now, id);

/** The candidate did something through their link: a contact, for the talent-pool retention. */
export const touchContact = (db: DB, id: number, now: string) => db.prepare('UPDATE applications SET updated_at = ?, last_contact_at = ? WHERE id = ?').run(now, now, id);

/** A withdrawn application taken up again through the link; the pipeline trigger moves its card back. */
export const setResumed = (db: DB, id: number, now: string) =>
  db
    .prepare("UPDATE applications SET status = 'received', withdrawn_at = NULL, updated_at = ?, last_contact_at = ? WHERE id = ? AND status = 'withdrawn'")
    .run(now, now, id);

/**
 * Acknowledgement and link mails sent to an address since a moment, whatever the CPTS or the
 * sender's IP: the outbox is the count, so it holds across processes.
 */
export const candidateMailsSince = (db: DB, email: string, templates: readonly string[], since: string) =>
  (
    db
      .prepare('SELECT COUNT(*) AS n FROM outbox WHERE to_address = ? COLLATE NOCASE AND created_at > ? AND template IN (SELECT value FROM json_each(?))')
      .get(email, since, JSON.stringify(templates)) as { n: number }
  ).n;

export const documentCount = (db: DB, applicationId: number) =>
  (db.prepare('SELECT COUNT(*) AS n FROM application_documents WHERE application_id = ?').get(applicationId) as { n: number }).n;

export const insertDocument = (
  db: DB,
  d: { application_id: number; organisation_id: number; kind: 'cv' | 'other'; stored_name: string; original_name: string; file_type: string; size_bytes: number; sha256: string },
  now: string,
) =>
  Number(
  db
    .prepare(
      `INSERT INTO application_documents (application_id, organisation_id, kind, stored_name, original_name, file_type, size_bytes, sha256, created_at)
       VALUES (@application_id, @organisation_id, @kind, @stored_name, @original_name, @file_type, @size_bytes, @sha256, @now)`,
    )
    .run({ ...d, now }).lastInsertRowid,
  );

export type DocumentRow = { id: number; application_id: number; organisation_id: number; kind: 'cv' | 'other'; stored_name: string; original_name: string; file_type: 'pdf' | 'docx' | 'odt'; size_bytes: number; sha256: string; created_at: string };

const DOC_COLUMNS = 'd.id, d.application_id, d.organisation_id, d.kind, d.stored_name, d.original_name, d.file_type, d.size_bytes, d.sha256, d.created_at';

export const documentsOfApplication = (db: DB, applicationId: number) =>
  db.prepare(`SELECT ${DOC_COLUMNS} FROM application_documents d WHERE d.application_id = ? ORDER BY d.id`).all(applicationId) as DocumentRow[];

export const documentById = (db: DB, id: number) =>
  db
    .prepare(`SELECT ${DOC_COLUMNS}, o.region_id FROM application_documents d JOIN organisations o ON o.id = d.organisation_id WHERE d.id = ?`)
    .get(id) as (DocumentRow & { region_id: number }) | undefined;

export const insertEvent = (db: DB, e: { application_id: number; organisation_id: number; user_id: number | null; action: string; details?: Record<string, unknown> }, now: string) =>
  db
    .prepare('INSERT INTO application_events (application_id, organisation_id, user_id, action, details, at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(e.application_id, e.organisation_id, e.user_id, e.action, JSON.stringify(e.details ?? {}), now);

export const eventsOfApplication = (db: DB, applicationId: number) =>
  db.prepare('SELECT action, details, at FROM application_events WHERE application_id = ? ORDER BY id').all(applicationId) as { action: string; details: string; at: string }[];

// ---- private links ------------------------------------------------------------------------------

export const insertLink = (db: DB, applicationId: number, hash: string, expiresAt: string, now: string) =>
  db.prepare('INSERT INTO application_links (application_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)').run(applicationId, hash, expiresAt, now);

export type LinkRow = { id: number; application_id: number; expires_at: string; revoked_at: string | null };
export const linkByHash = (db: DB, hash: string) =>
  db.prepare('SELECT id, application_id, expires_at, revoked_at FROM application_links WHERE token_hash = ?').get(hash) as LinkRow | undefined;

export const revokeLink = (db: DB, id: number, now: string) => db.prepare('UPDATE application_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);

/** What the candidate sees through their link. */
export type CandidateViewRow = ApplicationRow & {
  email: string;
  first_name: string;
  last_name: string;
  phone: string;
  posting_title: string;
  posting_slug: string;
  posting_status: 'draft' | 'published' | 'closed' | 'filled';
  posting_deadline: string | null;
  org_name: string;
  org_email: string | null;
};

export const applicationForCandidate = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT ${APP_COLUMNS}, c.email, c.first_name, c.last_name, c.phone, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, p.slug AS posting_slug,
         p.status AS posting_status, p.deadline AS posting_deadline, o.name AS org_name, o.email AS org_email
       FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN postings p ON p.id = a.posting_id
       JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?`,
    )
    .get(id) as CandidateViewRow | undefined;

export const setWithdrawn = (db: DB, id: number, now: string) =>
  db.prepare("UPDATE applications SET status = 'withdrawn', withdrawn_at = ?, updated_at = ?, last_contact_at = ? WHERE id = ?").run(now, now, now, id);

/** The candidate stops sharing the application with the region (their link). */
export const withdrawRegionPool = (db: DB, id: number, now: string) =>
  db.prepare('UPDATE applications SET region_pool_consent = 0, region_pool_at = NULL, updated_at = ? WHERE id = ?').run(now, id);

export const withdrawTalentPool = (db: DB, id: number, now: string) =>
  db.prepare('UPDATE applications SET talent_pool_consent = 0, talent_pool_at = NULL, updated_at = ? WHERE id = ?').run(now, id);


// ---- bureau side ----------------------------------------------------------------------------------

export type Recipient = { email: string; name: string };

/** Who hears of new applications: the CPTS's bureau, or its contact address when it has none. */
export function bureauRecipients(db: DB, organisationId: number): Recipient[] {
  const members = db
    .prepare(
      `SELECT DISTINCT u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = ? AND m.role = 'bureau' AND u.disabled_at IS NULL ORDER BY u.email`,
    )
    .all(organisationId) as Recipient[];
  if (members.length) return members;
  const org = db.prepare('SELECT email, name FROM organisations WHERE id = ?').get(organisationId) as { email: string | null; name: string } | undefined;
  return org?.email ? [{ email: org.email, name: org.name }] : [];
}

export const notifyModeOf = (db: DB, organisationId: number) =>
  ((db.prepare('SELECT notify_mode FROM recruitment_settings WHERE organisation_id = ?').get(organisationId) as { notify_mode: string } | undefined)?.notify_mode ?? 'each') as
    | 'each'
    | 'digest';

// ---- digest ------------------------------------------------------------------------------------------

export type PendingRow = { id: number; organisation_id: number; posting_id: number; first_name: string; last_name: string; created_at: string; updated_at: string } & PostingLabelRow;

export const pendingDigestApplications = (db: DB) =>
  db
    .prepare(
      `SELECT a.id, a.organisation_id, a.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, c.first_name, c.last_name, a.created_at, a.updated_at
       FROM applications a JOIN postings p ON p.id = a.posting_id JOIN candidates c ON c.id = a.candidate_id
       JOIN recruitment_settings s ON s.organisation_id = a.organisation_id AND s.notify_mode = 'digest'
       WHERE a.notified_at IS NULL AND a.status <> 'withdrawn' ORDER BY a.organisation_id, a.id`,
    )
    .all() as PendingRow[];

/** The CPTS that chose the daily digest. */
export const digestOrganisations = (db: DB) => db.prepare("SELECT organisation_id FROM recruitment_settings WHERE notify_mode = 'digest'").pluck().all() as number[];

export const digestSent = (db: DB, organisationId: number, day: string) =>
  Boolean(db.prepare('SELECT 1 FROM application_digests WHERE organisation_id = ? AND day = ?').get(organisationId, day));

export const recordDigest = (db: DB, organisationId: number, day: string, now: string) =>
  db.prepare('INSERT INTO application_digests (organisation_id, day, sent_at) VALUES (?, ?, ?)').run(organisationId, day, now);

export const markNotified = (db: DB, ids: number[], now: string) =>
  db.prepare('UPDATE applications SET notified_at = ? WHERE id IN (SELECT value FROM json_each(?))').run(now, JSON.stringify(ids));
