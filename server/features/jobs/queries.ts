import type { DB } from '../../core/db.js';
import type { PostingKind, PostingStatus } from './schemas.js';

export type PostingRow = {
  id: number;
  organisation_id: number;
  slug: string;
  /** Permanent, per CPTS: year of creation and rank in that year ("2026-03"), given by the database at insert (migration 029). */
  reference: string;
  kind: PostingKind;
  template_key: string | null;
  title: string;
  location: string;
  street_address: string;
  postal_code: string;
  contract_type: 'CDI' | 'CDD' | 'other';
  contract_duration_months: number | null;
  contract_details: string;
  fte_percent: number | null;
  hours_per_week: number | null;
  salary_min: number | null;
  salary_max: number | null;
  start_date: string | null;
  deadline: string | null;
  summary: string;
  description_md: string;
  contact_name: string;
  contact_email: string;
  status: PostingStatus;
  published_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
};

/** A posting with what the public pages need of its CPTS. */
export type PublicPostingRow = PostingRow & {
  org_name: string;
  org_slug: string;
  org_department: string;
  org_territory: string;
  org_email: string | null;
  org_presentation: string;
  org_street_address: string;
  org_postal_code: string;
  org_city: string;
  org_website_url: string;
  org_logo_url: string;
  region_id: number;
  region_name: string;
  region_slug: string;
};

export type HistoryRow = { id: number; user_id: number | null; actor_label: string; user_name: string | null; action: string; changes: string; at: string };

const COLUMNS = `p.id, p.organisation_id, p.slug, p.reference, p.kind, p.template_key, p.title, p.location, p.street_address, p.postal_code, p.contract_type,
  p.contract_duration_months, p.contract_details, p.fte_percent, p.hours_per_week, p.salary_min, p.salary_max,
  p.start_date, p.deadline, p.summary, p.description_md, p.contact_name, p.contact_email, p.status,
  p.published_at, p.closed_at, p.created_at, p.updated_at`;

const PUBLIC_COLUMNS = `${COLUMNS}, o.name AS org_name, o.slug AS org_slug, o.department AS org_department,
  o.territory AS org_territory, o.email AS org_email, o.presentation AS org_presentation,
  o.street_address AS org_street_address, o.postal_code AS org_postal_code, o.city AS org_city,
  o.website_url AS org_website_url, o.logo_url AS org_logo_url,
  r.id AS region_id, r.name AS region_name, r.slug AS region_slug`;

const FROM_PUBLIC = 'postings p JOIN organisations o ON o.id = p.organisation_id JOIN regions r ON r.id = o.region_id';

export const postingById = (db: DB, id: number) => db.prepare(`SELECT ${COLUMNS} FROM postings p WHERE p.id = ?`).get(id) as PostingRow | undefined;

export const postingWithOrgById = (db: DB, id: number) =>
  db.prepare(`SELECT ${PUBLIC_COLUMNS} FROM ${FROM_PUBLIC} WHERE p.id = ?`).get(id) as PublicPostingRow | undefined;

export const postingBySlug = (db: DB, slug: string) =>
  db.prepare(`SELECT ${PUBLIC_COLUMNS} FROM ${FROM_PUBLIC} WHERE p.slug = ?`).get(slug) as PublicPostingRow | undefined;

export const postingsOfOrganisation = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT ${COLUMNS}, (SELECT COUNT(*) FROM applications a WHERE a.posting_id = p.id) AS application_count
       FROM postings p WHERE p.organisation_id = ? ORDER BY p.created_at DESC, p.id DESC`,
    )
    .all(organisationId) as (PostingRow & { application_count: number })[];

export const applicationCount = (db: DB, postingId: number) =>
  (db.prepare('SELECT COUNT(*) AS n FROM applications WHERE posting_id = ?').get(postingId) as { n: number }).n;

/** Everything prepared for the posting goes with it (foreign keys cascade); a workload review only forgets the link. */
export function deletePosting(db: DB, postingId: number): void {
  db.prepare('UPDATE onboarding_workload_reviews SET posting_id = NULL WHERE posting_id = ?').run(postingId);
  db.prepare('DELETE FROM postings WHERE id = ?').run(postingId);
}

export const slugTaken = (db: DB, slug: string) => Boolean(db.prepare('SELECT 1 FROM postings WHERE slug = ?').get(slug));

export function insertPosting(db: DB, row: Omit<PostingRow, 'id' | 'reference' | 'published_at' | 'closed_at' | 'status'> & { created_by: number }): number {
  return Number(
    db
      .prepare(
        `INSERT INTO postings (organisation_id, slug, kind, template_key, title, location, street_address, postal_code, contract_type, contract_duration_months,
           contract_details, fte_percent, hours_per_week, salary_min, salary_max, start_date, deadline, summary, description_md,
           contact_name, contact_email, status, created_by, created_at, updated_at)
         VALUES (@organisation_id, @slug, @kind, @template_key, @title, @location, @street_address, @postal_code, @contract_type, @contract_duration_months,
           @contract_details, @fte_percent, @hours_per_week, @salary_min, @salary_max, @start_date, @deadline, @summary, @description_md,
           @contact_name, @contact_email, 'draft', @created_by, @created_at, @updated_at)`,
      )
      .run(row).lastInsertRowid,
  );
}

export const EDITABLE_FIELDS = [
  'kind',
  'title',
  'location',
  'street_address',
  'postal_code',
  'contract_type',
  'contract_duration_months',
  'contract_details',
  'fte_percent',
  'hours_per_week',
  'salary_min',
  'salary_max',
  'start_date',
  'deadline',
  'summary',
  'description_md',
  'contact_name',
  'contact_email',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type EditableValues = Pick<PostingRow, EditableField>;

export function updatePostingFields(db: DB, id: number, values: EditableValues, now: string): void {
  db.prepare(
    `UPDATE postings SET ${EDITABLE_FIELDS.map((f) => `${f} = @${f}`).join(', ')}, updated_at = @now WHERE id = @id`,
  ).run({ ...values, now, id });
}

export function setStatus(db: DB, id: number, status: PostingStatus, now: string): void {
  db.prepare(
    `UPDATE postings SET status = @status, updated_at = @now,
       published_at = CASE WHEN @status = 'published' AND published_at IS NULL THEN @now ELSE published_at END,
       closed_at = CASE WHEN @status IN ('closed', 'filled') THEN @now WHEN @status = 'published' THEN NULL ELSE closed_at END
     WHERE id = @id`,
  ).run({ id, status, now });
}

export function insertHistory(db: DB, e: { postingId: number; organisationId: number; userId: number | null; actorLabel: string; action: string; changes: Record<string, unknown>; at: string }) {
  db.prepare(
    'INSERT INTO posting_history (posting_id, organisation_id, user_id, actor_label, action, changes, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(e.postingId, e.organisationId, e.userId, e.actorLabel, e.action, JSON.stringify(e.changes), e.at);
}

export const historyOfPosting = (db: DB, postingId: number, organisationId: number) =>
  db
    .prepare(
      `SELECT h.id, h.user_id, h.actor_label, u.name AS user_name, h.action, h.changes, h.at
       FROM posting_history h LEFT JOIN users u ON u.id = h.user_id
       WHERE h.posting_id = ? AND h.organisation_id = ? ORDER BY h.id DESC`,
    )
    .all(postingId, organisationId) as HistoryRow[];

// ---- public board ------------------------------------------------------------------------------

/** Published and still open to applications (no deadline, or a deadline not yet passed). */
const OPEN = `p.status = 'published' AND (p.deadline IS NULL OR p.deadline >= @today)`;

export type BoardFilter = { today: string; region?: string; department?: string; kind?: string; contract?: string; organisationId?: number };

function boardWhere(f: BoardFilter): string {
  return [
    OPEN,
    f.region ? 'r.slug = @region' : '',
    f.department ? 'o.department = @department' : '',
    f.kind ? 'p.kind = @kind' : '',
    f.contract ? 'p.contract_type = @contract' : '',
    f.organisationId ? 'p.organisation_id = @organisationId' : '',
  ]
    .filter(Boolean)
    .join(' AND ');
}

const params = (f: BoardFilter) => ({
  today: f.today,
  region: f.region ?? null,
  department: f.department ?? null,
  kind: f.kind ?? null,
  contract: f.contract ?? null,
  organisationId: f.organisationId ?? null,
});

export const countBoard = (db: DB, f: BoardFilter) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${FROM_PUBLIC} WHERE ${boardWhere(f)}`).get(params(f)) as { n: number }).n;

export const board = (db: DB, f: BoardFilter, limit: number, offset: number) =>
  db
    .prepare(`SELECT ${PUBLIC_COLUMNS} FROM ${FROM_PUBLIC} WHERE ${boardWhere(f)} ORDER BY p.published_at DESC, p.id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params(f), limit, offset }) as PublicPostingRow[];

/** The values the board's filters offer: only those with at least one open posting. */
export const boardFacets = (db: DB, today: string) => ({
  regions: db
    .prepare(`SELECT DISTINCT r.slug AS value, r.name AS label FROM ${FROM_PUBLIC} WHERE ${OPEN} ORDER BY r.name`)
    .all({ today }) as { value: string; label: string }[],
  departments: db
    .prepare(`SELECT DISTINCT o.department AS value FROM ${FROM_PUBLIC} WHERE ${OPEN} ORDER BY o.department`)
    .all({ today }) as { value: string }[],
});

export type OrganisationPublicRow = { id: number; name: string; slug: string; department: string; territory: string; presentation: string; email: string | null; region_name: string };
export const organisationBySlug = (db: DB, slug: string) =>
  db
    .prepare(
      `SELECT o.id, o.name, o.slug, o.department, o.territory, o.presentation, o.email, r.name AS region_name
       FROM organisations o JOIN regions r ON r.id = o.region_id WHERE o.slug = ?`,
    )
    .get(slug) as OrganisationPublicRow | undefined;

export type OrganisationRef = {
  id: number;
  region_id: number;
  name: string;
  slug: string;
  department: string;
  territory: string;
  population: number;
  email: string | null;
  street_address: string;
  postal_code: string;
  city: string;
};
export const organisationRef = (db: DB, id: number) =>
  db
    .prepare('SELECT id, region_id, name, slug, department, territory, population, email, street_address, postal_code, city FROM organisations WHERE id = ?')
    .get(id) as OrganisationRef | undefined;

// ---- settings -----------------------------------------------------------------------------------

export const notifyModeOf = (db: DB, organisationId: number) =>
  ((db.prepare('SELECT notify_mode FROM recruitment_settings WHERE organisation_id = ?').get(organisationId) as { notify_mode: 'each' | 'digest' } | undefined)?.notify_mode ??
    'each') as 'each' | 'digest';

export const upsertNotifyMode = (db: DB, organisationId: number, mode: 'each' | 'digest', userId: number, now: string) =>
  db
    .prepare(
      `INSERT INTO recruitment_settings (organisation_id, notify_mode, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (organisation_id) DO UPDATE SET notify_mode = excluded.notify_mode, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .run(organisationId, mode, userId, now);

export const upsertWaitingDays = (db: DB, organisationId: number, days: number, userId: number, now: string) =>
  db
    .prepare(
      `INSERT INTO recruitment_settings (organisation_id, waiting_days, updated_by, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (organisation_id) DO UPDATE SET waiting_days = excluded.waiting_days, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .run(organisationId, days, userId, now);

/** The address candidates' answers go to: the posting's contact, else the CPTS's. */
export const replyAddressOfPosting = (db: DB, postingId: number) =>
  (
    db
      .prepare(`SELECT COALESCE(NULLIF(trim(p.contact_email), ''), NULLIF(trim(o.email), '')) AS address FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?`)
      .get(postingId) as { address: string | null } | undefined
  )?.address ?? null;
