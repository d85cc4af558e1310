import type { DB } from '../../core/db.js';
import type { ApplicationRow } from '../applications/queries.js';

export type AuditRow = {
  id: number;
  at: string;
  actor_label: string;
  actor_name: string | null;
  action: string;
  organisation_name: string | null;
  target_type: string | null;
  target_id: number | null;
  ip: string | null;
  details: string;
};

export type AuditFilter = {
  /** null: every organisation and instance-level entries (admin); else only these CPTS. */
  organisationIds: number[] | null;
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  organisationId?: number;
};

function where(f: AuditFilter) {
  return {
    sql: `WHERE (@scoped = 0 OR a.organisation_id IN (SELECT value FROM json_each(@orgs)))
            AND (@action IS NULL OR a.action LIKE @action || '%')
            AND (@actor IS NULL OR a.actor_label LIKE '%' || @actor || '%' OR u.name LIKE '%' || @actor || '%')
            AND (@from IS NULL OR a.at >= @from)
            AND (@to IS NULL OR a.at < @to)
            AND (@org IS NULL OR a.organisation_id = @org)`,
    params: {
      scoped: f.organisationIds === null ? 0 : 1,
      orgs: JSON.stringify(f.organisationIds ?? []),
      action: f.action ?? null,
      actor: f.actor ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      org: f.organisationId ?? null,
    },
  };
}

export const countAudit = (db: DB, f: AuditFilter) => {
  const w = where(f);
  return (db.prepare(`SELECT COUNT(*) AS n FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id ${w.sql}`).get(w.params) as { n: number }).n;
};

export const pageOfAudit = (db: DB, f: AuditFilter, limit: number, offset: number) => {
  const w = where(f);
  return db
    .prepare(
      `SELECT a.id, a.at, a.actor_label, u.name AS actor_name, a.action, o.name AS organisation_name, a.target_type, a.target_id, a.ip, a.details
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id LEFT JOIN organisations o ON o.id = a.organisation_id
       ${w.sql} ORDER BY a.id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ ...w.params, limit, offset }) as AuditRow[];
};

export const distinctActions = (db: DB) =>
  (db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as { action: string }[]).map((r) => r.action);

// ---- bureau-side GDPR ---------------------------------------------------------------------------

/** The shape of the applications feature's candidate view (for `exportData`), with the region. */
/** An application with its candidate and posting, as the GDPR export and erasure need it. */
export type GdprApplicationRow = ApplicationRow & {
  region_id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone: string;
  posting_title: string;
  posting_slug: string;
  posting_status: string;
  org_name: string;
  org_email: string | null;
};

export const applicationForGdpr = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT a.id, a.posting_id, a.organisation_id, o.region_id, a.candidate_id, a.status, a.message, a.source, a.talent_pool_consent,
         a.talent_pool_at, a.notified_at, a.withdrawn_at, a.last_contact_at, a.created_at, a.updated_at,
         c.email, c.first_name, c.last_name, c.phone, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, p.slug AS posting_slug,
         p.status AS posting_status, o.name AS org_name, o.email AS org_email
       FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN postings p ON p.id = a.posting_id
       JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?`,
    )
    .get(id) as GdprApplicationRow | undefined;

/** The titles of the postings these applications answer, in order of application. */
export const postingTitlesOf = (db: DB, applicationIds: number[]) =>
  db
    .prepare('SELECT p.title FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id')
    .pluck()
    .all(JSON.stringify(applicationIds)) as string[];
