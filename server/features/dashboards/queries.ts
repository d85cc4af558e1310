/**
 * Dashboard and report SQL. Every query is grouped (by CPTS, posting or stage) so a page costs
 * a fixed handful of statements whatever the number of CPTS or postings (no N+1).
 */
import type { DB } from '../../core/db.js';
import { revisionSql } from './summary.js';

/** Stage keys of the default pipeline, in order; other middle stages count as "other". */
export const ACTIVE_STAGE_KEYS = ['new', 'screening', 'interview', 'jury', 'offer'] as const;

// ---- regional dashboard ----------------------------------------------------------------------

export type RegionOrgRow = { id: number; name: string; department: string; coordinator_names: string | null };
/** Reads organisations, memberships and users (REGION_ORG_TABLES). */
export const orgsOfRegion = (db: DB, regionId: number) =>
  db
    .prepare(
      `SELECT o.id, o.name, o.department,
         (SELECT GROUP_CONCAT(u.name, ', ') FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE m.organisation_id = o.id AND m.role = 'coordinator' AND u.disabled_at IS NULL) AS coordinator_names
       FROM organisations o WHERE o.region_id = ? ORDER BY o.name`,
    )
    .all(regionId) as RegionOrgRow[];

/** The CPTS of a region with their revision (summary.ts): the per-CPTS figures come from there. */
export const orgRevisionsOfRegion = (db: DB, regionId: number) =>
  db.prepare(`SELECT o.id, ${revisionSql('o.id')} AS revision FROM organisations o WHERE o.region_id = ?`).all(regionId) as { id: number; revision: number }[];

export type OpenPostingsAgg = { organisation_id: number; open_postings: number; oldest_published_at: string | null };
/** `orgIds`: the CPTS to compute (those whose cached figures are stale, summary.ts). */
export const openPostingsByOrg = (db: DB, orgIds: readonly number[]) =>
  db
    .prepare(
      `SELECT p.organisation_id, COUNT(*) AS open_postings, MIN(p.published_at) AS oldest_published_at
       FROM postings p WHERE p.organisation_id IN (SELECT value FROM json_each(?)) AND p.status = 'published' GROUP BY p.organisation_id`,
    )
    .all(JSON.stringify(orgIds)) as OpenPostingsAgg[];

export type StageCountRow = { organisation_id: number; posting_id: number; stage_key: string; n: number };

/**
 * Active applications of published postings per stage, for the CPTS of a region or one CPTS,
 * per posting (bureau dashboard) or per CPTS (regional dashboard: 490 rows instead of
 * 1,346 for a region of the benchmark). Starts from the given CPTS
 * (organisations_region, then postings_organisation) and counts cards per stage on the
 * covering index pipeline_cards_board(posting_id, stage_id, …): the former OR across joined
 * tables made SQLite walk every card in France (36 ms → 1.7 ms, benchmark).
 */
const stageCounts = (db: DB, orgIds: readonly number[], per: 'posting' | 'organisation') =>
  db
    .prepare(
      `SELECT p.organisation_id${per === 'posting' ? ', x.posting_id' : ''},
         CASE WHEN s.kind = 'middle' AND s.stage_key NOT IN ('screening', 'interview', 'jury', 'offer') THEN 'other'
              WHEN s.kind = 'middle' AND s.stage_key IS NULL THEN 'other'
              ELSE COALESCE(s.stage_key, s.kind) END AS stage_key,
         SUM(x.n) AS n
       FROM (SELECT c.posting_id, c.stage_id, COUNT(*) AS n FROM pipeline_cards c
             WHERE c.posting_id IN (SELECT p.id FROM postings p WHERE p.status = 'published'
                                    AND p.organisation_id IN (SELECT value FROM json_each(@orgs)))
             GROUP BY c.posting_id, c.stage_id) x
       JOIN pipeline_stages s ON s.id = x.stage_id JOIN postings p ON p.id = x.posting_id
       GROUP BY p.organisation_id, ${per === 'posting' ? 'x.posting_id, 3' : '2'}`,
    )
    .all({ orgs: JSON.stringify(orgIds) });

export const stageCountsByPosting = (db: DB, organisationId: number) => stageCounts(db, [organisationId], 'posting') as StageCountRow[];
export const stageCountsByOrganisation = (db: DB, orgIds: readonly number[]) => stageCounts(db, orgIds, 'organisation') as Omit<StageCountRow, 'posting_id'>[];

export type PanelAgg = { organisation_id: number; panels: number };
/** Open postings of each CPTS whose panel has a chargé(e) de mission of the region. Reads organisations, postings, panel_members and memberships. */
export const chargePanelsByOrg = (db: DB, regionId: number) =>
  db
    .prepare(
      // From the region's CPTS to their open postings (SQLite started from every posting of the
      // country), and the region's chargé(e)s read once instead of once per panel member.
      `SELECT p.organisation_id, COUNT(DISTINCT p.id) AS panels
       FROM organisations o JOIN postings p ON p.organisation_id = o.id AND p.status = 'published'
       JOIN panel_members pm ON pm.posting_id = p.id
       WHERE o.region_id = @regionId
         AND (pm.kind = 'charge' OR pm.user_id IN (SELECT m.user_id FROM memberships m WHERE m.region_id = @regionId AND m.role = 'charge_de_mission'))
       GROUP BY p.organisation_id`,
    )
    .all({ regionId }) as PanelAgg[];

export type OnboardingAgg = {
  organisation_id: number;
  coordinator_plans: number;
  coordinator_steps: number;
  coordinator_done: number;
  overdue: number;
  reviews_due: number;
};
/** Onboarding of each CPTS: coordinators' plans progress, overdue steps, workload reviews not done. */
export const onboardingByOrg = (db: DB, orgIds: readonly number[], today: string) =>
  db
    .prepare(
      `SELECT pl.organisation_id,
         COUNT(DISTINCT CASE WHEN pl.kind = 'coordinator' THEN pl.id END) AS coordinator_plans,
         SUM(CASE WHEN pl.kind = 'coordinator' THEN 1 ELSE 0 END) AS coordinator_steps,
         SUM(CASE WHEN pl.kind = 'coordinator' AND st.status <> 'todo' THEN 1 ELSE 0 END) AS coordinator_done,
         SUM(CASE WHEN st.status = 'todo' AND st.due_date < @today THEN 1 ELSE 0 END) AS overdue,
         SUM(CASE WHEN st.status = 'todo' AND st.tag = 'workload_review' AND st.due_date <= date(@today, '+30 days') THEN 1 ELSE 0 END) AS reviews_due
       FROM onboarding_plans pl JOIN onboarding_plan_steps st ON st.plan_id = pl.id
       WHERE pl.organisation_id IN (SELECT value FROM json_each(@orgs))
       GROUP BY pl.organisation_id`,
    )
    .all({ orgs: JSON.stringify(orgIds), today }) as OnboardingAgg[];

// ---- bureau dashboard -----------------------------------------------------------------------

export type OpenPostingRow = { id: number; title: string; reference: string; status: string; closed_at: string | null; kind: string; published_at: string | null; deadline: string | null };
export const openPostingsOf = (db: DB, organisationId: number) =>
  db
    .prepare("SELECT id, title, reference, status, closed_at, kind, published_at, deadline FROM postings WHERE organisation_id = ? AND status = 'published' ORDER BY published_at, id")
    .all(organisationId) as OpenPostingRow[];

export type NewApplicationRow = { application_id: number; posting_id: number; posting_title: string; anon_number: number; created_at: string; source: string };
export const newApplicationsSince = (db: DB, organisationId: number, since: string) =>
  db
    .prepare(
      `SELECT a.id AS application_id, a.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, c.anon_number, a.created_at, a.source
       FROM applications a JOIN postings p ON p.id = a.posting_id JOIN pipeline_cards c ON c.application_id = a.id
       WHERE a.organisation_id = ? AND a.created_at >= ? ORDER BY a.created_at DESC`,
    )
    .all(organisationId, since) as NewApplicationRow[];

export type InterviewRow = { id: number; application_id: number; posting_title: string; anon_number: number; starts_at: string; mode: string; location: string };
export const upcomingInterviews = (db: DB, organisationId: number, from: string, to: string) =>
  db
    .prepare(
      `SELECT i.id, i.application_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, c.anon_number, i.starts_at, i.mode, i.location
       FROM interviews i JOIN postings p ON p.id = i.posting_id JOIN pipeline_cards c ON c.application_id = i.application_id
       WHERE i.organisation_id = ? AND i.status = 'scheduled' AND i.starts_at >= ? AND i.starts_at < ? ORDER BY i.starts_at`,
    )
    .all(organisationId, from, to) as InterviewRow[];

export type EvaluationsWaitingRow = { posting_id: number; posting_title: string; waiting: number; drafts: number };
/**
 * Per open posting: (application at or after the panel's start stage, still in the running) ×
 * panel member pairs without a submitted evaluation; and drafts in progress.
 */
export const evaluationsWaiting = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT p.id AS posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at,
         (SELECT COUNT(*) FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id
            JOIN panel_members pm ON pm.posting_id = c.posting_id
           WHERE c.posting_id = p.id AND s.kind = 'middle'
             AND s.position >= COALESCE((SELECT st.position FROM panels pa JOIN pipeline_stages st ON st.id = pa.start_stage_id WHERE pa.posting_id = p.id),
                                        (SELECT st.position FROM pipeline_stages st WHERE st.posting_id = p.id AND st.stage_key = 'interview'), 3)
             AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = c.application_id AND e.panelist_user_id = pm.user_id
                               AND e.status = 'submitted' AND e.superseded_at IS NULL)) AS waiting,
         (SELECT COUNT(*) FROM evaluations e WHERE e.posting_id = p.id AND e.status = 'draft') AS drafts
       FROM postings p WHERE p.organisation_id = ? AND p.status = 'published' ORDER BY p.published_at, p.id`,
    )
    .all(organisationId) as EvaluationsWaitingRow[];

export type PlanProgressRow = { plan_id: number; person: string; kind: string; start_date: string; steps: number; done: number; overdue: number };
export const recentPlans = (db: DB, organisationId: number, sinceDate: string, today: string) =>
  db
    .prepare(
      `SELECT pl.id AS plan_id, u.name AS person, pl.kind, pl.start_date, COUNT(st.id) AS steps,
         SUM(CASE WHEN st.status <> 'todo' THEN 1 ELSE 0 END) AS done,
         SUM(CASE WHEN st.status = 'todo' AND st.due_date < ? THEN 1 ELSE 0 END) AS overdue
       FROM onboarding_plans pl JOIN users u ON u.id = pl.user_id LEFT JOIN onboarding_plan_steps st ON st.plan_id = pl.id
       WHERE pl.organisation_id = ? AND pl.start_date >= ?
       GROUP BY pl.id ORDER BY pl.start_date DESC`,
    )
    .all(today, organisationId, sinceDate) as PlanProgressRow[];

export type OverdueStepRow = { step_id: number; plan_id: number; person: string; title: string; owner_role: string; due_date: string };
export const overdueSteps = (db: DB, organisationId: number, today: string) =>
  db
    .prepare(
      `SELECT st.id AS step_id, pl.id AS plan_id, u.name AS person, st.title, st.owner_role, st.due_date
       FROM onboarding_plan_steps st JOIN onboarding_plans pl ON pl.id = st.plan_id JOIN users u ON u.id = pl.user_id
       WHERE st.organisation_id = ? AND st.status = 'todo' AND st.due_date < ? ORDER BY st.due_date, st.id LIMIT 50`,
    )
    .all(organisationId, today) as OverdueStepRow[];

// ---- reports --------------------------------------------------------------------------------

export type ReportFilter = { organisationId: number; postingId?: number; from?: string; to?: string };
const APPS_IN_SCOPE = `a.organisation_id = @organisationId AND (@postingId IS NULL OR a.posting_id = @postingId)
  AND (@from IS NULL OR a.created_at >= @from) AND (@to IS NULL OR a.created_at < @to)`;
const params = (f: ReportFilter) => ({ organisationId: f.organisationId, postingId: f.postingId ?? null, from: f.from ?? null, to: f.to ?? null });

export type PostingOption = { id: number; title: string; status: string };
export const postingsOf = (db: DB, organisationId: number) =>
  db.prepare('SELECT id, title, reference, status, published_at, deadline, closed_at FROM postings WHERE organisation_id = ? ORDER BY created_at DESC, id DESC').all(organisationId) as PostingOption[];

export type FunnelRow = { stage_key: string; reached: number };
/**
 * How many applications reached each stage of the main flow at some point: the current stage
 * or any stage a move went into (so a candidate rejected after interview counts at interview).
 */
export const funnel = (db: DB, f: ReportFilter) =>
  db
    .prepare(
      `WITH apps AS (SELECT a.id FROM applications a WHERE ${APPS_IN_SCOPE}),
       visits AS (
         SELECT c.application_id, c.stage_id FROM pipeline_cards c JOIN apps ON apps.id = c.application_id
         UNION SELECT m.application_id, m.to_stage_id FROM pipeline_moves m JOIN apps ON apps.id = m.application_id WHERE m.to_stage_id IS NOT NULL
         UNION SELECT c.application_id, s.id FROM pipeline_cards c JOIN apps ON apps.id = c.application_id
           JOIN pipeline_stages s ON s.posting_id = c.posting_id AND s.kind = 'new'
       ),
       reached AS (
         SELECT v.application_id, MAX(s.position) AS top FROM visits v JOIN pipeline_stages s ON s.id = v.stage_id
         WHERE s.kind IN ('new', 'middle', 'hired') GROUP BY v.application_id
       )
       SELECT k.stage_key, (SELECT COUNT(*) FROM reached r JOIN pipeline_cards c ON c.application_id = r.application_id
                             JOIN pipeline_stages ks ON ks.posting_id = c.posting_id AND ks.stage_key = k.stage_key
                            WHERE r.top >= ks.position) AS reached
       FROM (SELECT 'new' AS stage_key, 1 AS o UNION ALL SELECT 'screening', 2 UNION ALL SELECT 'interview', 3
             UNION ALL SELECT 'jury', 4 UNION ALL SELECT 'offer', 5 UNION ALL SELECT 'hired', 6) k ORDER BY k.o`,
    )
    .all(params(f)) as FunnelRow[];

export type TimeToHireRow = { posting_id: number; posting_title: string; posting_reference: string; published_at: string; accepted_at: string };
export const timesToHire = (db: DB, f: ReportFilter) =>
  db
    .prepare(
      `SELECT p.id AS posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, p.published_at, MIN(f.answered_at) AS accepted_at
       FROM offers f JOIN postings p ON p.id = f.posting_id JOIN applications a ON a.id = f.application_id
       WHERE f.status = 'accepted' AND f.answered_at IS NOT NULL AND p.published_at IS NOT NULL AND ${APPS_IN_SCOPE}
       GROUP BY p.id ORDER BY accepted_at`,
    )
    .all(params(f)) as TimeToHireRow[];

export type StageTimeRow = { stage_name: string; position: number; n: number; avg_days: number };
/** Average days spent in each stage, from the move into it to the next move (finished stays only). */
export const timeInStage = (db: DB, f: ReportFilter) =>
  db
    .prepare(
      `WITH apps AS (SELECT a.id, a.created_at FROM applications a WHERE ${APPS_IN_SCOPE}),
       stays AS (
         SELECT m.application_id, m.to_stage_id AS stage_id, m.to_name AS stage_name, m.created_at AS entered,
           LEAD(m.created_at) OVER (PARTITION BY m.application_id ORDER BY m.created_at, m.id) AS left_at
         FROM pipeline_moves m JOIN apps ON apps.id = m.application_id
       ),
       firsts AS (
         SELECT apps.id AS application_id, s.id AS stage_id, s.name AS stage_name, apps.created_at AS entered,
           (SELECT MIN(m.created_at) FROM pipeline_moves m WHERE m.application_id = apps.id) AS left_at
         FROM apps JOIN pipeline_cards c ON c.application_id = apps.id JOIN pipeline_stages s ON s.posting_id = c.posting_id AND s.kind = 'new'
       ),
       all_stays AS (SELECT * FROM stays UNION ALL SELECT * FROM firsts)
       SELECT st.stage_name, COALESCE(ps.position, 99) AS position, COUNT(*) AS n,
         AVG(julianday(st.left_at) - julianday(st.entered)) AS avg_days
       FROM all_stays st LEFT JOIN pipeline_stages ps ON ps.id = st.stage_id
       WHERE st.left_at IS NOT NULL AND COALESCE(ps.kind, 'middle') IN ('new', 'middle')
       GROUP BY st.stage_name ORDER BY position, st.stage_name`,
    )
    .all(params(f)) as StageTimeRow[];

export type CountRow = { key: string; n: number };
export const sources = (db: DB, f: ReportFilter) =>
  db.prepare(`SELECT a.source AS key, COUNT(*) AS n FROM applications a WHERE ${APPS_IN_SCOPE} GROUP BY a.source ORDER BY n DESC, key`).all(params(f)) as CountRow[];

export const rejectionReasons = (db: DB, f: ReportFilter) =>
  db
    .prepare(
      `SELECT COALESCE(c.rejection_reason, 'unspecified') AS key, COUNT(*) AS n
       FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id JOIN applications a ON a.id = c.application_id
       WHERE s.kind = 'rejected' AND ${APPS_IN_SCOPE} GROUP BY 1 ORDER BY n DESC, key`,
    )
    .all(params(f)) as CountRow[];
