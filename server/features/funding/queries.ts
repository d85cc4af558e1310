import type { PostingLabelFields } from '../../core/posting-label.js';
import type { DB } from '../../core/db.js';

export type OrgRow = { id: number; region_id: number; name: string; size_class: number; region_name: string };

export type EnvelopeRow = {
  id: number;
  region_id: number | null;
  size_class: number;
  year: number;
  amount: number;
  source: string;
  source_date: string;
  updated_by_name: string | null;
  updated_at: string;
};

export type ProfileRow = { organisation_id: number; aci_size: number; aci_start_year: number; new_post_rate_percent: number; updated_at: string };

export type CommitmentRow = {
  id: number;
  organisation_id: number;
  kind: 'post' | 'other';
  label: string;
  gross_salary: number | null;
  fte_percent: number | null;
  employer_rate_percent: number | null;
  amount: number | null;
};

export const organisationById = (db: DB, id: number) =>
  db
    .prepare('SELECT o.id, o.region_id, o.name, o.size_class, r.name AS region_name FROM organisations o JOIN regions r ON r.id = o.region_id WHERE o.id = ?')
    .get(id) as OrgRow | undefined;

export const regionById = (db: DB, id: number) => db.prepare('SELECT id, name FROM regions WHERE id = ?').get(id) as { id: number; name: string } | undefined;

const ENVELOPE_COLUMNS = `e.id, e.region_id, e.size_class, e.year, e.amount, e.source, e.source_date, u.name AS updated_by_name, e.updated_at`;

/** The region's own rows and the shipped reference rows; the caller lets the region's win. */
export const envelopesOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT ${ENVELOPE_COLUMNS} FROM funding_envelopes e LEFT JOIN users u ON u.id = e.updated_by
       WHERE e.region_id = ? OR e.region_id IS NULL ORDER BY e.year, e.size_class, e.region_id IS NULL`,
    )
    .all(regionId) as EnvelopeRow[];

/** The amount for one size and year: the region's row if it has one, else the reference. */
export const envelopeFor = (db: DB, regionId: number, size: number, year: number) =>
  db
    .prepare(
      `SELECT ${ENVELOPE_COLUMNS} FROM funding_envelopes e LEFT JOIN users u ON u.id = e.updated_by
       WHERE (e.region_id = ? OR e.region_id IS NULL) AND e.size_class = ? AND e.year = ?
       ORDER BY e.region_id IS NULL LIMIT 1`,
    )
    .get(regionId, size, year) as EnvelopeRow | undefined;

export const regionEnvelope = (db: DB, regionId: number, id: number) =>
  db.prepare(`SELECT ${ENVELOPE_COLUMNS} FROM funding_envelopes e LEFT JOIN users u ON u.id = e.updated_by WHERE e.id = ? AND e.region_id = ?`).get(id, regionId) as
    | EnvelopeRow
    | undefined;

export function upsertRegionEnvelope(
  db: DB,
  e: { regionId: number; size: number; year: number; amount: number; source: string; sourceDate: string; userId: number },
  now: string,
): number {
  const existing = db.prepare('SELECT id FROM funding_envelopes WHERE region_id = ? AND size_class = ? AND year = ?').get(e.regionId, e.size, e.year) as { id: number } | undefined;
  if (existing) {
    db.prepare('UPDATE funding_envelopes SET amount = ?, source = ?, source_date = ?, updated_by = ?, updated_at = ? WHERE id = ?').run(
      e.amount,
      e.source,
      e.sourceDate,
      e.userId,
      now,
      existing.id,
    );
    return existing.id;
  }
  return Number(
    db
      .prepare('INSERT INTO funding_envelopes (region_id, size_class, year, amount, source, source_date, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.regionId, e.size, e.year, e.amount, e.source, e.sourceDate, e.userId, now).lastInsertRowid,
  );
}

export const deleteRegionEnvelope = (db: DB, regionId: number, id: number) => db.prepare('DELETE FROM funding_envelopes WHERE id = ? AND region_id = ?').run(id, regionId);

export const profileOf = (db: DB, organisationId: number) =>
  db
    .prepare('SELECT organisation_id, aci_size, aci_start_year, new_post_rate_percent, updated_at FROM funding_profiles WHERE organisation_id = ?')
    .get(organisationId) as ProfileRow | undefined;

export const profilesOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT p.organisation_id, p.aci_size, p.aci_start_year, p.new_post_rate_percent, p.updated_at
       FROM funding_profiles p JOIN organisations o ON o.id = p.organisation_id WHERE o.region_id = ?`,
    )
    .all(regionId) as ProfileRow[];

export const upsertProfile = (db: DB, organisationId: number, p: { aciSize: number; aciStartYear: number; newPostRatePercent: number }, userId: number, now: string) =>
  db
    .prepare(
      `INSERT INTO funding_profiles (organisation_id, aci_size, aci_start_year, new_post_rate_percent, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (organisation_id) DO UPDATE SET aci_size = excluded.aci_size, aci_start_year = excluded.aci_start_year,
         new_post_rate_percent = excluded.new_post_rate_percent, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .run(organisationId, p.aciSize, p.aciStartYear, p.newPostRatePercent, userId, now);

const COMMITMENT_COLUMNS = 'id, organisation_id, kind, label, gross_salary, fte_percent, employer_rate_percent, amount';

export const commitmentsOf = (db: DB, organisationId: number) =>
  db.prepare(`SELECT ${COMMITMENT_COLUMNS} FROM funding_commitments WHERE organisation_id = ? ORDER BY kind DESC, id`).all(organisationId) as CommitmentRow[];

export const commitmentsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(`SELECT ${COMMITMENT_COLUMNS.replace(/(\w+)/g, 'c.$1')} FROM funding_commitments c JOIN organisations o ON o.id = c.organisation_id WHERE o.region_id = ? ORDER BY c.id`)
    .all(regionId) as CommitmentRow[];

export const commitmentOf = (db: DB, organisationId: number, id: number) =>
  db.prepare(`SELECT ${COMMITMENT_COLUMNS} FROM funding_commitments WHERE id = ? AND organisation_id = ?`).get(id, organisationId) as CommitmentRow | undefined;

export type CommitmentFields = Omit<CommitmentRow, 'id' | 'organisation_id'>;

export const insertCommitment = (db: DB, organisationId: number, c: CommitmentFields, userId: number, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO funding_commitments (organisation_id, kind, label, gross_salary, fte_percent, employer_rate_percent, amount, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(organisationId, c.kind, c.label, c.gross_salary, c.fte_percent, c.employer_rate_percent, c.amount, userId, now, now).lastInsertRowid,
  );

export const updateCommitment = (db: DB, organisationId: number, id: number, c: CommitmentFields, now: string) =>
  db
    .prepare(
      `UPDATE funding_commitments SET kind = ?, label = ?, gross_salary = ?, fte_percent = ?, employer_rate_percent = ?, amount = ?, updated_at = ?
       WHERE id = ? AND organisation_id = ?`,
    )
    .run(c.kind, c.label, c.gross_salary, c.fte_percent, c.employer_rate_percent, c.amount, now, id, organisationId);

export const deleteCommitment = (db: DB, organisationId: number, id: number) => db.prepare('DELETE FROM funding_commitments WHERE id = ? AND organisation_id = ?').run(id, organisationId);

export type ReviewRow = { organisation_id: number; decision: 'adjust' | 'open_case_manager'; decided_at: string; plan_id: number; person: string };

/**
 * The latest workload review of each CPTS of the region, when it found the coordinator
 * overloaded (a decision other than keeping the organisation as it is).
 */
export const overloadedCoordinators = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT s.organisation_id, w.decision, w.decided_at, p.id AS plan_id, u.name AS person
       FROM onboarding_workload_reviews w
       JOIN onboarding_plan_steps s ON s.id = w.step_id
       JOIN onboarding_plans p ON p.id = s.plan_id
       JOIN organisations o ON o.id = s.organisation_id
       JOIN users u ON u.id = p.user_id
       WHERE o.region_id = ? AND p.kind = 'coordinator'
         AND w.decided_at = (SELECT MAX(w2.decided_at) FROM onboarding_workload_reviews w2 JOIN onboarding_plan_steps s2 ON s2.id = w2.step_id
                             JOIN onboarding_plans p2 ON p2.id = s2.plan_id WHERE s2.organisation_id = s.organisation_id AND p2.kind = 'coordinator')
         AND w.decision IN ('adjust', 'open_case_manager')`,
    )
    .all(regionId) as ReviewRow[];

export const organisationsOfRegion = (db: DB, regionId: number) =>
  db.prepare('SELECT o.id, o.region_id, o.name, o.size_class, r.name AS region_name FROM organisations o JOIN regions r ON r.id = o.region_id WHERE o.region_id = ?').all(regionId) as OrgRow[];

export type PostingTermsRow = {
  id: number;
  organisation_id: number;
  salary_min: number | null;
  salary_max: number | null;
  fte_percent: number | null;
  hours_per_week: number | null;
  start_date: string | null;
} & PostingLabelFields;

/** What the check reads of a posting of this CPTS. */
export const postingOf = (db: DB, organisationId: number, id: number) =>
  db
    .prepare('SELECT id, organisation_id, title, reference, status, published_at, deadline, closed_at, salary_min, salary_max, fte_percent, hours_per_week, start_date FROM postings WHERE id = ? AND organisation_id = ?')
    .get(id, organisationId) as PostingTermsRow | undefined;
