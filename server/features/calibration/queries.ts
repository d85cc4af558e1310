import type { DB } from '../../core/db.js';

/** One current submitted rating, with what groups it: the posting, the candidate, the criterion. */
export type RatingRow = {
  evaluation_id: number;
  organisation_id: number;
  posting_id: number;
  application_id: number;
  rater: number;
  rater_name: string;
  criterion: string;
  criterion_label: string;
  level: number;
};

const RATING_COLUMNS = `e.id AS evaluation_id, e.organisation_id, e.posting_id, e.application_id, e.panelist_user_id AS rater,
  e.panelist_name AS rater_name, COALESCE(c.criterion_key, 'label:' || lower(c.label)) AS criterion, c.label AS criterion_label, r.level`;

const CURRENT = `e.status = 'submitted' AND e.superseded_at IS NULL AND e.panelist_user_id IS NOT NULL AND r.level IS NOT NULL`;

/** The ratings of the postings a user rated on, in the regions given (their own and the others'). */
export const ratingsOfPostingsRatedBy = (db: DB, userId: number) =>
  db
    .prepare(
      `SELECT ${RATING_COLUMNS}, o.region_id
       FROM evaluations e
       JOIN organisations o ON o.id = e.organisation_id
       JOIN evaluation_ratings r ON r.evaluation_id = e.id
       JOIN scorecard_criteria c ON c.id = r.criterion_id
       WHERE ${CURRENT} AND e.posting_id IN (
         SELECT DISTINCT posting_id FROM evaluations WHERE panelist_user_id = ? AND status = 'submitted' AND superseded_at IS NULL)`,
    )
    .all(userId) as (RatingRow & { region_id: number })[];

export type CriterionDescriptor = { criterion: string; label: string; description: string; level_1: string; level_2: string; level_3: string; level_4: string };

/** The anchors of the criteria given (the region's most recent version of each, chosen by the caller). */
export const descriptorsByIds = (db: DB, ids: number[]) =>
  db
    .prepare(
      `SELECT COALESCE(c.criterion_key, 'label:' || lower(c.label)) AS criterion, c.label, c.description, c.level_1, c.level_2, c.level_3, c.level_4
       FROM scorecard_criteria c WHERE c.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as CriterionDescriptor[];

export const regionById = (db: DB, id: number) => db.prepare('SELECT id, name FROM regions WHERE id = ?').get(id) as { id: number; name: string } | undefined;

export const postingTitles = (db: DB, ids: number[]) =>
  db
    .prepare(
      `SELECT p.id, p.title, p.reference, p.status, p.published_at, p.deadline, p.closed_at, o.name AS org_name FROM postings p JOIN organisations o ON o.id = p.organisation_id
       WHERE p.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as { id: number; title: string; published_at: string | null; org_name: string }[];

export const hasSubmitted = (db: DB, userId: number) =>
  Boolean(db.prepare("SELECT 1 FROM evaluations WHERE panelist_user_id = ? AND status = 'submitted' LIMIT 1").get(userId));

// ---- per-recruitment summaries (migration 031; summaries.ts) ----------------------------------

/** A current submitted rating: [posting, application, rater, name, criterion, label, level, criterion id, its last edit]. */
export type SummaryRatingRow = [number, number, number, string, string, string, number, number, string];

/** The current submitted ratings of the recruitments given, in the order the summaries read them. */
export const ratingsOfPostings = (db: DB, postingIds: number[]) =>
  db
    .prepare(
      `SELECT e.posting_id, e.application_id, e.panelist_user_id, e.panelist_name,
              COALESCE(c.criterion_key, 'label:' || lower(c.label)), c.label, r.level, c.id, c.updated_at
       FROM evaluations e
       JOIN evaluation_ratings r ON r.evaluation_id = e.id
       JOIN scorecard_criteria c ON c.id = r.criterion_id
       WHERE e.posting_id IN (SELECT value FROM json_each(?)) AND ${CURRENT}
       ORDER BY e.posting_id, e.id`,
    )
    .raw()
    .all(JSON.stringify(postingIds)) as SummaryRatingRow[];

/** [posting, member] of the current panels of the recruitments given. */
export const panelsOfPostings = (db: DB, postingIds: number[]) =>
  db
    .prepare('SELECT posting_id, user_id FROM panel_members WHERE posting_id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(postingIds)) as [number, number][];

/** [posting, revision, revision of its summary] of a region's recruitments. */
export const summaryRevisionsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT cp.posting_id, cp.revision, cp.summary_revision FROM calibration_postings cp
       JOIN organisations o ON o.id = cp.organisation_id
       JOIN postings p ON p.id = cp.posting_id
       WHERE o.region_id = ?`,
    )
    .raw()
    .all(regionId) as [number, number, number | null][];

/** [posting, revision, summary] of the recruitments given whose summary is current. */
export const currentSummaries = (db: DB, postingIds: number[]) =>
  db
    .prepare('SELECT posting_id, revision, summary FROM calibration_postings WHERE posting_id IN (SELECT value FROM json_each(?)) AND summary_revision = revision')
    .raw()
    .all(JSON.stringify(postingIds)) as [number, number, string][];

export const summaryRevision = (db: DB, postingId: number) =>
  (db.prepare('SELECT revision FROM calibration_postings WHERE posting_id = ?').get(postingId) as { revision: number } | undefined)?.revision;

/** Written only for the revision it was computed at: a change meanwhile keeps it stale. */
export const writeSummary = (db: DB, postingId: number, revision: number, summary: string) =>
  db.prepare('UPDATE calibration_postings SET summary = ?, summary_revision = revision WHERE posting_id = ? AND revision = ?').run(summary, postingId, revision);

/** The summaries to compute again, oldest change first. */
export const staleSummaries = (db: DB, limit: number) =>
  db
    .prepare('SELECT posting_id AS postingId, revision FROM calibration_postings WHERE summary_revision IS NOT revision ORDER BY revision LIMIT ?')
    .all(limit) as { postingId: number; revision: number }[];

export const revisionsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT COUNT(*) AS n, MAX(cp.revision) AS last FROM calibration_postings cp
       JOIN organisations o ON o.id = cp.organisation_id WHERE o.region_id = ?`,
    )
    .get(regionId) as { n: number; last: number | null };
