import type { DB } from '../../core/db.js';
import type { PostingLabelFields } from '../../core/posting-label.js';
import { identityHiddenSql } from '../pipeline/anonymity.js';

/*
 * Evaluation reads postings, applications, candidates, documents and pipeline stages/cards
 * (migrations 002 and 004) and writes only its own tables (006).
 */

export type GroupKey = 'savoir_etre' | 'savoirs' | 'savoir_faire';
export type Recommendation = 'strong_no' | 'no' | 'yes' | 'strong_yes';

export type PostingScope = {
  id: number;
  organisation_id: number;
  region_id: number;
  org_name: string;
  title: string;
  kind: 'coordinator' | 'case_manager' | 'other';
  status: string;
} & PostingLabelFields;

export const postingScope = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT p.id, p.organisation_id, o.region_id, o.name AS org_name, p.title, p.reference, p.published_at, p.deadline, p.closed_at, p.kind, p.status
       FROM postings p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ?`,
    )
    .get(id) as PostingScope | undefined;

export type StageRow = { id: number; name: string; kind: string; stage_key: string | null; position: number };

export const stagesOfPosting = (db: DB, postingId: number) =>
  db.prepare('SELECT id, name, kind, stage_key, position FROM pipeline_stages WHERE posting_id = ? ORDER BY position, id').all(postingId) as StageRow[];

const APPLICATION_COLUMNS = `c.application_id, c.posting_id, c.organisation_id, o.region_id, o.name AS org_name,
  p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, p.kind AS posting_kind, cd.first_name, cd.last_name,
  trim(cd.first_name || ' ' || cd.last_name) AS full_name, cd.email, c.anon_number,
  c.stage_id, s.name AS stage_name, s.kind AS stage_kind, s.stage_key, s.position AS stage_position,
  ${identityHiddenSql()} AS masked`;

const APPLICATION_FROM = `FROM pipeline_cards c
  JOIN applications a ON a.id = c.application_id
  JOIN candidates cd ON cd.id = a.candidate_id
  JOIN pipeline_stages s ON s.id = c.stage_id
  JOIN postings p ON p.id = c.posting_id
  JOIN organisations o ON o.id = c.organisation_id
  LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id`;

export type ApplicationScope = {
  application_id: number;
  posting_id: number;
  organisation_id: number;
  region_id: number;
  org_name: string;
  posting_title: string;
  posting_kind: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  anon_number: number;
  stage_id: number;
  stage_name: string;
  stage_kind: string;
  stage_key: string | null;
  stage_position: number;
  masked: number;
};

/** The application, `masked` by the anonymity rule for this viewer (user id; null: nobody's reveal counts). */
export const applicationScope = (db: DB, id: number, userId: number | null) =>
  db.prepare(`SELECT ${APPLICATION_COLUMNS} ${APPLICATION_FROM} WHERE c.application_id = @id`).get({ id, userId }) as ApplicationScope | undefined;

/**
 * The applications the panel evaluates: those now at a stage of the main flow from the
 * panel's first stage on, and those that reached it before leaving the flow.
 */
const EVALUATED = `c.posting_id = @postingId AND (
    (s.kind IN ('middle', 'hired') AND s.position >= @startPosition)
    OR EXISTS (SELECT 1 FROM pipeline_moves m JOIN pipeline_stages ms ON ms.id = m.to_stage_id
               WHERE m.application_id = c.application_id AND ms.kind IN ('middle', 'hired') AND ms.position >= @startPosition)
    OR EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = c.application_id AND e.status = 'submitted'))`;

export const evaluatedApplications = (db: DB, postingId: number, startPosition: number, userId: number | null = null) =>
  db
    .prepare(`SELECT ${APPLICATION_COLUMNS} ${APPLICATION_FROM} WHERE ${EVALUATED} ORDER BY s.position, c.anon_number`)
    .all({ postingId, startPosition, userId }) as ApplicationScope[];

export const isEvaluated = (db: DB, postingId: number, applicationId: number, startPosition: number) =>
  Boolean(db.prepare(`SELECT 1 ${APPLICATION_FROM} WHERE ${EVALUATED} AND c.application_id = @applicationId`).get({ postingId, startPosition, applicationId }));

export type DocumentRow = { id: number; kind: string; original_name: string; file_type: 'pdf' | 'docx' | 'odt'; size_bytes: number; stored_name: string };

export const documentsOf = (db: DB, applicationId: number) =>
  db
    .prepare('SELECT id, kind, original_name, file_type, size_bytes, stored_name FROM application_documents WHERE application_id = ? ORDER BY id')
    .all(applicationId) as DocumentRow[];

// ---- Scorecards ---------------------------------------------------------------------------

export type ScorecardRow = { id: number; organisation_id: number; posting_id: number; template_key: string; name: string; locked_at: string | null };

export const scorecardOfPosting = (db: DB, postingId: number) =>
  db.prepare('SELECT id, organisation_id, posting_id, template_key, name, locked_at FROM scorecards WHERE posting_id = ?').get(postingId) as ScorecardRow | undefined;

export const insertScorecard = (db: DB, s: { organisationId: number; postingId: number; templateKey: string; name: string }, now: string) =>
  Number(
    db
      .prepare('INSERT INTO scorecards (organisation_id, posting_id, template_key, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.organisationId, s.postingId, s.templateKey, s.name, now, now).lastInsertRowid,
  );

export const lockScorecard = (db: DB, id: number, now: string) => db.prepare('UPDATE scorecards SET locked_at = ? WHERE id = ? AND locked_at IS NULL').run(now, id);

export type CriterionRow = {
  id: number;
  scorecard_id: number;
  criterion_key: string | null;
  group_key: GroupKey;
  label: string;
  description: string;
  weight: number;
  must_have: number;
  min_level: number | null;
  level_1: string;
  level_2: string;
  level_3: string;
  level_4: string;
  questions: string;
  position: number;
};

const CRITERION_COLUMNS = `id, scorecard_id, criterion_key, group_key, label, description, weight, must_have, min_level,
  level_1, level_2, level_3, level_4, questions, position`;

export const criteriaOf = (db: DB, scorecardId: number) =>
  db.prepare(`SELECT ${CRITERION_COLUMNS} FROM scorecard_criteria WHERE scorecard_id = ? ORDER BY position, id`).all(scorecardId) as CriterionRow[];

export type CriterionInput = {
  key: string | null;
  group: GroupKey;
  label: string;
  description: string;
  weight: number;
  mustHave: boolean;
  minLevel: number | null;
  levels: [string, string, string, string];
  questions: string[];
};

export const insertCriterion = (db: DB, organisationId: number, scorecardId: number, c: CriterionInput, position: number, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO scorecard_criteria (organisation_id, scorecard_id, criterion_key, group_key, label, description, weight, must_have, min_level,
           level_1, level_2, level_3, level_4, questions, position, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        organisationId,
        scorecardId,
        c.key,
        c.group,
        c.label,
        c.description,
        c.weight,
        c.mustHave ? 1 : 0,
        c.minLevel,
        ...c.levels,
        JSON.stringify(c.questions),
        position,
        now,
        now,
      ).lastInsertRowid,
  );

export const updateCriterion = (db: DB, id: number, c: CriterionInput, now: string) =>
  db
    .prepare(
      `UPDATE scorecard_criteria SET group_key = ?, label = ?, description = ?, weight = ?, must_have = ?, min_level = ?,
         level_1 = ?, level_2 = ?, level_3 = ?, level_4 = ?, questions = ?, updated_at = ? WHERE id = ?`,
    )
    .run(c.group, c.label, c.description, c.weight, c.mustHave ? 1 : 0, c.minLevel, ...c.levels, JSON.stringify(c.questions), now, id);

export const deleteCriterion = (db: DB, id: number) => db.prepare('DELETE FROM scorecard_criteria WHERE id = ?').run(id);

// ---- Panels -------------------------------------------------------------------------------

export const panelStartStage = (db: DB, postingId: number) =>
  db.prepare('SELECT start_stage_id FROM panels WHERE posting_id = ?').get(postingId) as { start_stage_id: number | null } | undefined;

export const upsertPanel = (db: DB, postingId: number, organisationId: number, startStageId: number, now: string) =>
  db
    .prepare(
      `INSERT INTO panels (posting_id, organisation_id, start_stage_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (posting_id) DO UPDATE SET start_stage_id = excluded.start_stage_id, updated_at = excluded.updated_at`,
    )
    .run(postingId, organisationId, startStageId, now);

export type PanelMemberRow = { id: number; posting_id: number; user_id: number; name: string; email: string; kind: 'member' | 'charge' | 'external'; is_chair: number };

export const panelMembers = (db: DB, postingId: number) =>
  db
    .prepare(
      `SELECT pm.id, pm.posting_id, pm.user_id, u.name, u.email, pm.kind, pm.is_chair
       FROM panel_members pm JOIN users u ON u.id = pm.user_id
       WHERE pm.posting_id = ? AND u.disabled_at IS NULL ORDER BY pm.is_chair DESC, u.name`,
    )
    .all(postingId) as PanelMemberRow[];

export const panelMember = (db: DB, postingId: number, userId: number) =>
  db
    .prepare(
      `SELECT pm.id, pm.posting_id, pm.user_id, u.name, u.email, pm.kind, pm.is_chair
       FROM panel_members pm JOIN users u ON u.id = pm.user_id WHERE pm.posting_id = ? AND pm.user_id = ? AND u.disabled_at IS NULL`,
    )
    .get(postingId, userId) as PanelMemberRow | undefined;

export const insertPanelMember = (db: DB, m: { organisationId: number; postingId: number; userId: number; kind: string; addedBy: number | null }, now: string) =>
  db
    .prepare(
      `INSERT INTO panel_members (organisation_id, posting_id, user_id, kind, added_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (posting_id, user_id) DO NOTHING`,
    )
    .run(m.organisationId, m.postingId, m.userId, m.kind, m.addedBy, now);

export const deletePanelMember = (db: DB, postingId: number, userId: number) =>
  db.prepare('DELETE FROM panel_members WHERE posting_id = ? AND user_id = ?').run(postingId, userId);

export const setChair = (db: DB, postingId: number, userId: number) => {
  db.prepare('UPDATE panel_members SET is_chair = 0 WHERE posting_id = ? AND is_chair = 1').run(postingId);
  return db.prepare('UPDATE panel_members SET is_chair = 1 WHERE posting_id = ? AND user_id = ?').run(postingId, userId);
};

export type EligibleRow = { user_id: number; name: string; email: string; kind: 'member' | 'charge'; role: string; title: string };

/** The CPTS's members and the region's chargés de mission, who may sit on its panels. */
export const eligibleMembers = (db: DB, organisationId: number, regionId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email,
              CASE WHEN m.role = 'charge_de_mission' THEN 'charge' ELSE 'member' END AS kind, m.role, m.title
       FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE u.disabled_at IS NULL AND (m.organisation_id = ? OR (m.role = 'charge_de_mission' AND m.region_id = ?))
       GROUP BY u.id ORDER BY u.name`,
    )
    .all(organisationId, regionId) as EligibleRow[];

export const userById = (db: DB, id: number) =>
  db.prepare('SELECT id, name, email, password_hash IS NOT NULL AS has_password FROM users WHERE id = ? AND disabled_at IS NULL').get(id) as
    | { id: number; name: string; email: string; has_password: number }
    | undefined;

export const userByEmail = (db: DB, email: string) =>
  db.prepare('SELECT id, name, email FROM users WHERE email = ? AND disabled_at IS NULL').get(email) as { id: number; name: string; email: string } | undefined;

/** An outside panelist's account: no password until they accept their invitation, no role anywhere. */
export const insertAccountWithoutPassword = (db: DB, email: string, name: string, locale: 'fr' | 'en', now: string) =>
  Number(
    db
      .prepare('INSERT INTO users (email, name, password_hash, locale, is_admin, created_at, updated_at) VALUES (?, ?, NULL, ?, 0, ?, ?)')
      .run(email, name, locale, now, now).lastInsertRowid,
  );

export type PendingInvitationRow = { id: number; email: string; name: string; expires_at: string; created_at: string };

/** Panel members whose account still waits for its password (invitation not yet accepted). */
export const pendingPanelInvitations = (db: DB, postingId: number, now: string) =>
  db
    .prepare(
      `SELECT i.id, i.email, i.name, i.expires_at, i.created_at FROM panel_members pm JOIN users u ON u.id = pm.user_id
       JOIN invitations i ON i.email = u.email AND i.role = 'panelist' AND i.organisation_id = pm.organisation_id
       WHERE pm.posting_id = ? AND u.password_hash IS NULL AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?
       ORDER BY i.created_at DESC`,
    )
    .all(postingId, now) as PendingInvitationRow[];

export type MyPanelRow = { posting_id: number; title: string; org_name: string; is_chair: number; start_position: number };

/** The postings whose panel a user sits on, for their dashboard. */
export const panelsOfUser = (db: DB, userId: number) =>
  db
    .prepare(
      `SELECT p.id AS posting_id, p.title, p.reference, p.status, p.published_at, p.deadline, p.closed_at, o.name AS org_name, pm.is_chair,
              COALESCE((SELECT s.position FROM panels pa JOIN pipeline_stages s ON s.id = pa.start_stage_id WHERE pa.posting_id = p.id),
                       (SELECT s.position FROM pipeline_stages s WHERE s.posting_id = p.id AND s.stage_key = 'interview'),
                       (SELECT MIN(s.position) FROM pipeline_stages s WHERE s.posting_id = p.id AND s.kind = 'middle'), 1) AS start_position
       FROM panel_members pm JOIN postings p ON p.id = pm.posting_id JOIN organisations o ON o.id = p.organisation_id
       WHERE pm.user_id = ? ORDER BY p.created_at DESC`,
    )
    .all(userId) as MyPanelRow[];

// ---- Evaluations ----------------------------------------------------------------------------

export type EvaluationRow = {
  id: number;
  application_id: number;
  posting_id: number;
  panelist_user_id: number | null;
  panelist_name: string;
  version: number;
  status: 'draft' | 'submitted';
  recommendation: Recommendation | null;
  summary: string;
  amendment_reason: string;
  submitted_at: string | null;
  superseded_at: string | null;
  created_at: string;
  updated_at: string;
};

const EVALUATION_COLUMNS = `id, application_id, posting_id, panelist_user_id, panelist_name, version, status, recommendation, summary,
  amendment_reason, submitted_at, superseded_at, created_at, updated_at`;

export const evaluationsOfApplication = (db: DB, applicationId: number) =>
  db
    .prepare(`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE application_id = ? ORDER BY panelist_name, panelist_user_id, version`)
    .all(applicationId) as EvaluationRow[];

export const evaluationsOfPanelist = (db: DB, applicationId: number, userId: number) =>
  db
    .prepare(`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE application_id = ? AND panelist_user_id = ? ORDER BY version`)
    .all(applicationId, userId) as EvaluationRow[];

export type RatingRow = { evaluation_id: number; criterion_id: number; level: number | null; comment: string };

export const ratingsOfEvaluations = (db: DB, ids: number[]) =>
  ids.length === 0
    ? []
    : (db
        .prepare('SELECT evaluation_id, criterion_id, level, comment FROM evaluation_ratings WHERE evaluation_id IN (SELECT value FROM json_each(?))')
        .all(JSON.stringify(ids)) as RatingRow[]);

/** Who has a current submitted evaluation, per application of a posting. */
export const submittersOfPosting = (db: DB, postingId: number) =>
  db
    .prepare(
      `SELECT application_id, panelist_user_id, panelist_name FROM evaluations
       WHERE posting_id = ? AND status = 'submitted' AND superseded_at IS NULL`,
    )
    .all(postingId) as { application_id: number; panelist_user_id: number | null; panelist_name: string }[];

export const draftsOfUser = (db: DB, postingId: number, userId: number) =>
  db.prepare(`SELECT application_id FROM evaluations WHERE posting_id = ? AND panelist_user_id = ? AND status = 'draft'`).all(postingId, userId) as {
    application_id: number;
  }[];

export const insertEvaluation = (
  db: DB,
  e: { organisationId: number; postingId: number; applicationId: number; userId: number; name: string; version: number; amendmentReason: string },
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO evaluations (organisation_id, posting_id, application_id, panelist_user_id, panelist_name, version, amendment_reason, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(e.organisationId, e.postingId, e.applicationId, e.userId, e.name, e.version, e.amendmentReason, now, now).lastInsertRowid,
  );

export const updateDraft = (db: DB, id: number, recommendation: Recommendation | null, summary: string, now: string) =>
  db.prepare(`UPDATE evaluations SET recommendation = ?, summary = ?, updated_at = ? WHERE id = ? AND status = 'draft'`).run(recommendation, summary, now, id);

export const deleteRatings = (db: DB, evaluationId: number) => db.prepare('DELETE FROM evaluation_ratings WHERE evaluation_id = ?').run(evaluationId);

export const insertRating = (db: DB, evaluationId: number, criterionId: number, level: number | null, comment: string) =>
  db.prepare('INSERT INTO evaluation_ratings (evaluation_id, criterion_id, level, comment) VALUES (?, ?, ?, ?)').run(evaluationId, criterionId, level, comment);

export const submitEvaluation = (db: DB, id: number, now: string) =>
  db.prepare(`UPDATE evaluations SET status = 'submitted', submitted_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'`).run(now, now, id);

export const supersedeEarlier = (db: DB, applicationId: number, userId: number, version: number, now: string) =>
  db
    .prepare(
      `UPDATE evaluations SET superseded_at = ? WHERE application_id = ? AND panelist_user_id = ? AND status = 'submitted'
       AND version < ? AND superseded_at IS NULL`,
    )
    .run(now, applicationId, userId, version);

// ---- Decisions ------------------------------------------------------------------------------

export type DecisionRow = {
  id: number;
  application_id: number;
  outcome: 'offer' | 'hired' | 'rejected';
  from_stage_name: string;
  to_stage_name: string;
  rationale: string;
  score_snapshot: string;
  decider_name: string;
  decided_at: string;
  criteria_rationale: string;
  reused_from: number | null;
  full_name: string;
  anon_number: number;
  masked: number;
};

export const insertDecision = (
  db: DB,
  d: {
    organisationId: number;
    postingId: number;
    applicationId: number;
    outcome: string;
    from: string;
    to: string;
    rationale: string;
    criteria?: unknown[];
    reusedFrom?: number | null;
    snapshot: unknown;
    userId: number;
    name: string;
  },
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO decisions (organisation_id, posting_id, application_id, outcome, from_stage_name, to_stage_name, rationale, criteria_rationale, reused_from, score_snapshot, decided_by, decider_name, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.organisationId, d.postingId, d.applicationId, d.outcome, d.from, d.to, d.rationale, JSON.stringify(d.criteria ?? []), d.reusedFrom ?? null, JSON.stringify(d.snapshot), d.userId, d.name, now)
      .lastInsertRowid,
  );

/** The application's latest decision of one outcome (the offer's, whose rationale the hire reuses). */
export const latestDecisionOf = (db: DB, applicationId: number, outcome: 'offer' | 'hired' | 'rejected') =>
  db.prepare('SELECT id, rationale, criteria_rationale FROM decisions WHERE application_id = ? AND outcome = ? ORDER BY decided_at DESC, id DESC LIMIT 1').get(applicationId, outcome) as
    | { id: number; rationale: string; criteria_rationale: string }
    | undefined;

export const decisionsOfPosting = (db: DB, postingId: number, userId: number | null) =>
  db
    .prepare(
      `SELECT d.id, d.application_id, d.outcome, d.from_stage_name, d.to_stage_name, d.rationale, d.score_snapshot, d.decider_name, d.decided_at, d.criteria_rationale, d.reused_from,
              trim(cd.first_name || ' ' || cd.last_name) AS full_name, COALESCE(c.anon_number, 0) AS anon_number, ${identityHiddenSql()} AS masked
       FROM decisions d JOIN applications a ON a.id = d.application_id JOIN candidates cd ON cd.id = a.candidate_id
       JOIN pipeline_cards c ON c.application_id = d.application_id
       JOIN pipeline_stages s ON s.id = c.stage_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id
       WHERE d.posting_id = @postingId ORDER BY d.decided_at, d.id`,
    )
    .all({ postingId, userId }) as DecisionRow[];

export const decisionsOfApplication = (db: DB, applicationId: number) =>
  db
    .prepare(
      `SELECT d.id, d.application_id, d.outcome, d.from_stage_name, d.to_stage_name, d.rationale, d.score_snapshot, d.decider_name, d.decided_at, d.criteria_rationale, d.reused_from,
              '' AS full_name, 0 AS anon_number, 1 AS masked
       FROM decisions d WHERE d.application_id = ? ORDER BY d.decided_at DESC, d.id DESC`,
    )
    .all(applicationId) as DecisionRow[];

// ---- Aggregation inputs (cache.ts) ------------------------------------------------------------

/** The posting's revision stamp (migration 011): bumped by triggers on every aggregated change; 0 before the first. */
export const postingRevision = (db: DB, postingId: number) =>
  (db.prepare('SELECT revision FROM posting_revisions WHERE posting_id = ?').pluck().get(postingId) as number | undefined) ?? 0;

/** The ids of the applications the panel evaluates, in the board's order (stage, then number). */
export const evaluatedApplicationIds = (db: DB, postingId: number, startPosition: number) =>
  db
    .prepare(`SELECT c.application_id FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE ${EVALUATED} ORDER BY s.position, c.anon_number`)
    .pluck()
    .all({ postingId, startPosition }) as number[];

/** Every current submitted evaluation of a posting: who, for whom, and their recommendation. */
export const currentEvaluationsOfPosting = (db: DB, postingId: number) =>
  db
    .prepare(
      `SELECT application_id, panelist_user_id, recommendation FROM evaluations
       WHERE posting_id = ? AND status = 'submitted' AND superseded_at IS NULL`,
    )
    .all(postingId) as { application_id: number; panelist_user_id: number | null; recommendation: Recommendation | null }[];

export type CriterionStatsRow = { application_id: number; criterion_id: number; n: number; total: number; lo: number; hi: number };

/** Per application and criterion, the count, sum, minimum and maximum of the current submitted levels. */
export const criterionStatsOfPosting = (db: DB, postingId: number) =>
  db
    .prepare(
      `SELECT e.application_id, r.criterion_id, COUNT(*) AS n, SUM(r.level) AS total, MIN(r.level) AS lo, MAX(r.level) AS hi
       FROM evaluations e JOIN evaluation_ratings r ON r.evaluation_id = e.id
       WHERE e.posting_id = ? AND e.status = 'submitted' AND e.superseded_at IS NULL AND r.level IS NOT NULL
       GROUP BY e.application_id, r.criterion_id`,
    )
    .all(postingId) as CriterionStatsRow[];

export type NameRow = { application_id: number; full_name: string; anon_number: number; stage_name: string; masked: number };

/** What the ranking shows of some applications (name or anonymised number, stage), read fresh on each request. */
export const namesByIds = (db: DB, ids: number[], userId: number | null) =>
  ids.length === 0
    ? []
    : (db
        .prepare(
          `SELECT c.application_id, trim(cd.first_name || ' ' || cd.last_name) AS full_name, c.anon_number, s.name AS stage_name,
                  ${identityHiddenSql()} AS masked
           FROM pipeline_cards c JOIN applications a ON a.id = c.application_id JOIN candidates cd ON cd.id = a.candidate_id
           JOIN pipeline_stages s ON s.id = c.stage_id LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id
           WHERE c.application_id IN (SELECT value FROM json_each(@ids))`,
        )
        .all({ ids: JSON.stringify(ids), userId }) as NameRow[]);

/** The display rows (names, stage, anonymisation) of some applications, read fresh on each request. */
export const applicationsByIds = (db: DB, ids: number[], userId: number | null) =>
  ids.length === 0
    ? []
    : (db.prepare(`SELECT ${APPLICATION_COLUMNS} ${APPLICATION_FROM} WHERE c.application_id IN (SELECT value FROM json_each(@ids))`).all({ ids: JSON.stringify(ids), userId }) as ApplicationScope[]);
