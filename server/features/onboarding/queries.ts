import type { DB } from '../../core/db.js';

export type OrgRow = { id: number; region_id: number; name: string; department: string; region_name: string };
export type Phase = { key: string; label: string };
export type Resource = { label: string; url: string };

export type TemplateRow = {
  id: number;
  region_id: number;
  organisation_id: number | null;
  kind: 'coordinator' | 'case_manager';
  reference_key: string | null;
  name: string;
  phases: string;
  source_template_id: number | null;
  updated_at: string;
  step_count?: number;
};

export type TemplateStepRow = {
  id: number;
  template_id: number;
  position: number;
  step_key: string | null;
  phase: string;
  title: string;
  description: string;
  owner_role: 'coordinator' | 'bureau' | 'charge_de_mission' | 'mentor';
  due_offset_days: number;
  resources: string;
  recurring_every_days: number | null;
  recurring_label: string | null;
  tag: string | null;
};

export type PlanRow = {
  id: number;
  organisation_id: number;
  user_id: number;
  kind: 'coordinator' | 'case_manager';
  template_id: number | null;
  template_name: string;
  phases: string;
  start_date: string;
  created_at: string;
  hire_name: string;
  hire_email: string;
  organisation_name: string;
  region_id: number;
  department: string;
};

export type PlanStepRow = Omit<TemplateStepRow, 'template_id'> & {
  plan_id: number;
  organisation_id: number;
  due_date: string;
  status: 'todo' | 'done' | 'not_applicable';
  status_reason: string | null;
  status_by_name: string | null;
  status_at: string | null;
  owner_user_id: number | null;
  owner_name: string | null;
};

export const organisationById = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT o.id, o.region_id, o.name, o.department, r.name AS region_name
       FROM organisations o JOIN regions r ON r.id = o.region_id WHERE o.id = ?`,
    )
    .get(id) as OrgRow | undefined;

export const regionById = (db: DB, id: number) => db.prepare('SELECT id, name FROM regions WHERE id = ?').get(id) as { id: number; name: string } | undefined;

// ---- templates ----------------------------------------------------------------------------

const TEMPLATE_COLUMNS = `t.id, t.region_id, t.organisation_id, t.kind, t.reference_key, t.name, t.phases, t.source_template_id, t.updated_at,
  (SELECT COUNT(*) FROM onboarding_template_steps s WHERE s.template_id = t.id) AS step_count`;

export const templateById = (db: DB, id: number) => db.prepare(`SELECT ${TEMPLATE_COLUMNS} FROM onboarding_templates t WHERE t.id = ?`).get(id) as TemplateRow | undefined;

export const regionTemplates = (db: DB, regionId: number) =>
  db
    .prepare(`SELECT ${TEMPLATE_COLUMNS} FROM onboarding_templates t WHERE t.region_id = ? AND t.organisation_id IS NULL ORDER BY t.kind, t.name`)
    .all(regionId) as TemplateRow[];

export const organisationTemplates = (db: DB, organisationId: number) =>
  db.prepare(`SELECT ${TEMPLATE_COLUMNS} FROM onboarding_templates t WHERE t.organisation_id = ? ORDER BY t.kind, t.name`).all(organisationId) as TemplateRow[];

export const regionHasReference = (db: DB, regionId: number, key: string) =>
  db.prepare('SELECT 1 FROM onboarding_templates WHERE region_id = ? AND organisation_id IS NULL AND reference_key = ?').get(regionId, key) !== undefined;

export function insertTemplate(
  db: DB,
  t: { regionId: number; organisationId: number | null; kind: string; referenceKey: string | null; name: string; phases: Phase[]; sourceId: number | null },
  now: string,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO onboarding_templates (region_id, organisation_id, kind, reference_key, name, phases, source_template_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.regionId, t.organisationId, t.kind, t.referenceKey, t.name, JSON.stringify(t.phases), t.sourceId, now, now).lastInsertRowid,
  );
}

export const touchTemplate = (db: DB, id: number, now: string) => db.prepare('UPDATE onboarding_templates SET updated_at = ? WHERE id = ?').run(now, id);
export const renameTemplate = (db: DB, id: number, name: string, now: string) =>
  db.prepare('UPDATE onboarding_templates SET name = ?, updated_at = ? WHERE id = ?').run(name, now, id);

export type StepFields = {
  step_key: string | null;
  phase: string;
  title: string;
  description: string;
  owner_role: string;
  due_offset_days: number;
  resources: Resource[];
  recurring_every_days: number | null;
  recurring_label: string | null;
  tag: string | null;
};

export function insertTemplateStep(db: DB, templateId: number, position: number, s: StepFields): number {
  return Number(
    db
      .prepare(
        `INSERT INTO onboarding_template_steps (template_id, position, step_key, phase, title, description, owner_role, due_offset_days, resources,
           recurring_every_days, recurring_label, tag)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(templateId, position, s.step_key, s.phase, s.title, s.description, s.owner_role, s.due_offset_days, JSON.stringify(s.resources),
        s.recurring_every_days, s.recurring_label, s.tag).lastInsertRowid,
  );
}

export const updateTemplateStep = (db: DB, stepId: number, s: Omit<StepFields, 'step_key'>) =>
  db
    .prepare(
      `UPDATE onboarding_template_steps SET phase = ?, title = ?, description = ?, owner_role = ?, due_offset_days = ?, resources = ?,
         recurring_every_days = ?, recurring_label = ?, tag = ? WHERE id = ?`,
    )
    .run(s.phase, s.title, s.description, s.owner_role, s.due_offset_days, JSON.stringify(s.resources), s.recurring_every_days, s.recurring_label, s.tag, stepId);

export const templateSteps = (db: DB, templateId: number) =>
  db.prepare('SELECT * FROM onboarding_template_steps WHERE template_id = ? ORDER BY position, id').all(templateId) as TemplateStepRow[];

export const templateStep = (db: DB, templateId: number, stepId: number) =>
  db.prepare('SELECT * FROM onboarding_template_steps WHERE template_id = ? AND id = ?').get(templateId, stepId) as TemplateStepRow | undefined;

export const deleteTemplateStep = (db: DB, templateId: number, stepId: number) =>
  db.prepare('DELETE FROM onboarding_template_steps WHERE template_id = ? AND id = ?').run(templateId, stepId);

export const setStepPosition = (db: DB, stepId: number, position: number) => db.prepare('UPDATE onboarding_template_steps SET position = ? WHERE id = ?').run(position, stepId);

export const maxPosition = (db: DB, templateId: number) =>
  (db.prepare('SELECT COALESCE(MAX(position), 0) AS n FROM onboarding_template_steps WHERE template_id = ?').get(templateId) as { n: number }).n;

// ---- plans --------------------------------------------------------------------------------

const PLAN_COLUMNS = `p.id, p.organisation_id, p.user_id, p.kind, p.template_id, p.template_name, p.phases, p.start_date, p.created_at,
  u.name AS hire_name, u.email AS hire_email, o.name AS organisation_name, o.region_id, o.department`;
const PLAN_FROM = `onboarding_plans p JOIN users u ON u.id = p.user_id JOIN organisations o ON o.id = p.organisation_id`;

export const planById = (db: DB, id: number) => db.prepare(`SELECT ${PLAN_COLUMNS} FROM ${PLAN_FROM} WHERE p.id = ?`).get(id) as PlanRow | undefined;

export const plansOfOrganisation = (db: DB, organisationId: number) =>
  db.prepare(`SELECT ${PLAN_COLUMNS} FROM ${PLAN_FROM} WHERE p.organisation_id = ? ORDER BY p.start_date DESC, p.id DESC`).all(organisationId) as PlanRow[];

export const plansOfUser = (db: DB, userId: number) =>
  db.prepare(`SELECT ${PLAN_COLUMNS} FROM ${PLAN_FROM} WHERE p.user_id = ? ORDER BY p.start_date DESC`).all(userId) as PlanRow[];

/** Plans where the user is the active peer mentor of the new hire. */
export const plansMentoredBy = (db: DB, userId: number) =>
  db
    .prepare(
      `SELECT ${PLAN_COLUMNS} FROM ${PLAN_FROM}
       JOIN network_mentor_pairings mp ON mp.mentee_user_id = p.user_id AND mp.mentee_organisation_id = p.organisation_id AND mp.ended_at IS NULL
       WHERE mp.mentor_user_id = ? ORDER BY p.start_date DESC`,
    )
    .all(userId) as PlanRow[];

export function insertPlan(
  db: DB,
  p: { organisationId: number; userId: number; kind: string; templateId: number; templateName: string; phases: string; startDate: string; createdBy: number },
  now: string,
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO onboarding_plans (organisation_id, user_id, kind, template_id, template_name, phases, start_date, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(p.organisationId, p.userId, p.kind, p.templateId, p.templateName, p.phases, p.startDate, p.createdBy, now).lastInsertRowid,
  );
}

export const insertPlanStep = (db: DB, planId: number, organisationId: number, s: TemplateStepRow, dueDate: string, ownerUserId: number | null = null) =>
  Number(
    db
      .prepare(
        `INSERT INTO onboarding_plan_steps (plan_id, organisation_id, position, step_key, phase, title, description, owner_role, due_offset_days,
           due_date, resources, recurring_every_days, recurring_label, tag, owner_user_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(planId, organisationId, s.position, s.step_key, s.phase, s.title, s.description, s.owner_role, s.due_offset_days, dueDate, s.resources,
        s.recurring_every_days, s.recurring_label, s.tag, ownerUserId).lastInsertRowid,
  );

export const planIdOfStep = (db: DB, stepId: number, organisationId: number) =>
  (db.prepare('SELECT plan_id FROM onboarding_plan_steps WHERE id = ? AND organisation_id = ?').get(stepId, organisationId) as { plan_id: number } | undefined)?.plan_id;

export const setStepOwner = (db: DB, stepId: number, userId: number | null) => db.prepare('UPDATE onboarding_plan_steps SET owner_user_id = ? WHERE id = ?').run(userId, stepId);

export type PersonRow = { user_id: number; name: string; email: string; locale: 'fr' | 'en'; role: 'bureau' | 'coordinator' | 'case_manager' | 'charge_de_mission' | 'mentor'; active: number };

/** Everyone who may own a step of a plan: the CPTS's bureau and staff, the region's chargés, the peer mentor. */
export const peopleOfPlan = (db: DB, plan: { organisation_id: number; region_id: number; user_id: number }) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, u.locale, x.role, u.password_hash IS NOT NULL AS active FROM (
         SELECT m.user_id, m.role, m.id AS ord FROM memberships m WHERE m.organisation_id = @org AND m.role IN ('bureau', 'coordinator', 'case_manager')
         UNION ALL SELECT m.user_id, 'charge_de_mission', m.id FROM memberships m WHERE m.region_id = @region AND m.role = 'charge_de_mission'
         UNION ALL SELECT mp.mentor_user_id, 'mentor', 1e12 FROM network_mentor_pairings mp WHERE mp.mentee_user_id = @hire AND mp.mentee_organisation_id = @org AND mp.ended_at IS NULL
       ) x JOIN users u ON u.id = x.user_id AND u.disabled_at IS NULL ORDER BY x.ord`,
    )
    .all({ org: plan.organisation_id, region: plan.region_id, hire: plan.user_id }) as PersonRow[];

export const digestPreference = (db: DB, userId: number) =>
  ((db.prepare('SELECT digest FROM onboarding_preferences WHERE user_id = ?').get(userId) as { digest: string } | undefined)?.digest ?? 'daily') as 'daily' | 'weekly' | 'off';

export const setDigestPreference = (db: DB, userId: number, digest: string, now: string) =>
  db
    .prepare('INSERT INTO onboarding_preferences (user_id, digest, updated_at) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at')
    .run(userId, digest, now);

export const digestPreferences = (db: DB) =>
  new Map((db.prepare('SELECT user_id, digest FROM onboarding_preferences').all() as { user_id: number; digest: 'daily' | 'weekly' | 'off' }[]).map((r) => [r.user_id, r.digest]));

export type EscalationRow = { step_id: number; plan_id: number; title: string; due_date: string; hire_name: string; organisation_id: number; organisation_name: string; owner_name: string | null };

/** Open steps due before a day and not escalated yet. */
export const stepsToEscalate = (db: DB, dueBefore: string) =>
  db
    .prepare(
      `SELECT s.id AS step_id, s.plan_id, s.title, s.due_date, hu.name AS hire_name, o.id AS organisation_id, o.name AS organisation_name, ou.name AS owner_name
       FROM onboarding_plan_steps s JOIN onboarding_plans p ON p.id = s.plan_id JOIN users hu ON hu.id = p.user_id
       JOIN organisations o ON o.id = p.organisation_id LEFT JOIN users ou ON ou.id = s.owner_user_id
       WHERE s.status = 'todo' AND s.due_date < ? AND s.escalated_at IS NULL ORDER BY o.id, s.due_date`,
    )
    .all(dueBefore) as EscalationRow[];

export const markEscalated = (db: DB, stepId: number, now: string) =>
  db.prepare('UPDATE onboarding_plan_steps SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL').run(now, stepId).changes === 1;

export const bureauOf = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, u.locale, 'bureau' AS role, 1 AS active FROM memberships m JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL
       WHERE m.organisation_id = ? AND m.role = 'bureau' ORDER BY m.id`,
    )
    .all(organisationId) as PersonRow[];

const STEP_COLUMNS = `s.id, s.plan_id, s.organisation_id, s.position, s.step_key, s.phase, s.title, s.description, s.owner_role, s.due_offset_days,
  s.due_date, s.resources, s.recurring_every_days, s.recurring_label, s.tag, s.status, s.status_reason, s.status_at, su.name AS status_by_name,
  s.owner_user_id, (SELECT name FROM users WHERE id = s.owner_user_id) AS owner_name`;

/** The steps of several plans in one query. */
export function stepsOfPlans(db: DB, planIds: number[]): PlanStepRow[] {
  if (!planIds.length) return [];
  return db
    .prepare(
      `SELECT ${STEP_COLUMNS} FROM onboarding_plan_steps s LEFT JOIN users su ON su.id = s.status_by
       WHERE s.plan_id IN (SELECT value FROM json_each(?)) ORDER BY s.plan_id, s.position, s.id`,
    )
    .all(JSON.stringify(planIds)) as PlanStepRow[];
}

export const planStep = (db: DB, planId: number, stepId: number) =>
  db
    .prepare(`SELECT ${STEP_COLUMNS} FROM onboarding_plan_steps s LEFT JOIN users su ON su.id = s.status_by WHERE s.plan_id = ? AND s.id = ?`)
    .get(planId, stepId) as PlanStepRow | undefined;

export const setStepStatus = (db: DB, stepId: number, status: string, reason: string | null, userId: number, now: string) =>
  db.prepare('UPDATE onboarding_plan_steps SET status = ?, status_reason = ?, status_by = ?, status_at = ? WHERE id = ?').run(status, reason, userId, now, stepId);

export const insertHistory = (db: DB, stepId: number, userId: number, status: string, reason: string | null, now: string) =>
  db.prepare('INSERT INTO onboarding_step_history (step_id, user_id, status, reason, at) VALUES (?, ?, ?, ?, ?)').run(stepId, userId, status, reason, now);

export type HistoryRow = { step_id: number; user_name: string | null; status: string; reason: string | null; at: string };
export const historyOfPlan = (db: DB, planId: number) =>
  db
    .prepare(
      `SELECT h.step_id, u.name AS user_name, h.status, h.reason, h.at FROM onboarding_step_history h
       JOIN onboarding_plan_steps s ON s.id = h.step_id LEFT JOIN users u ON u.id = h.user_id
       WHERE s.plan_id = ? ORDER BY h.at, h.id`,
    )
    .all(planId) as HistoryRow[];

export const insertComment = (db: DB, stepId: number, userId: number, body: string, now: string) =>
  db.prepare('INSERT INTO onboarding_step_comments (step_id, user_id, body, created_at) VALUES (?, ?, ?, ?)').run(stepId, userId, body, now);

export type CommentRow = { id: number; step_id: number; user_name: string | null; body: string; created_at: string };
export const commentsOfPlan = (db: DB, planId: number) =>
  db
    .prepare(
      `SELECT c.id, c.step_id, u.name AS user_name, c.body, c.created_at FROM onboarding_step_comments c
       JOIN onboarding_plan_steps s ON s.id = c.step_id LEFT JOIN users u ON u.id = c.user_id
       WHERE s.plan_id = ? ORDER BY c.created_at, c.id`,
    )
    .all(planId) as CommentRow[];

export type WorkloadReviewRow = { step_id: number; decision: 'keep' | 'adjust' | 'open_case_manager'; notes: string; decided_by_name: string | null; decided_at: string; posting_id: number | null };
export const workloadReviewsOfPlan = (db: DB, planId: number) =>
  db
    .prepare(
      `SELECT w.step_id, w.decision, w.notes, u.name AS decided_by_name, w.decided_at, w.posting_id FROM onboarding_workload_reviews w
       JOIN onboarding_plan_steps s ON s.id = w.step_id LEFT JOIN users u ON u.id = w.decided_by WHERE s.plan_id = ?`,
    )
    .all(planId) as WorkloadReviewRow[];

export const workloadReview = (db: DB, stepId: number) =>
  db.prepare('SELECT step_id, decision, notes, decided_at, posting_id FROM onboarding_workload_reviews WHERE step_id = ?').get(stepId) as WorkloadReviewRow | undefined;

export const upsertWorkloadReview = (db: DB, stepId: number, decision: string, notes: string, userId: number, now: string) =>
  db
    .prepare(
      `INSERT INTO onboarding_workload_reviews (step_id, decision, notes, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(step_id) DO UPDATE SET decision = excluded.decision, notes = excluded.notes, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
    )
    .run(stepId, decision, notes, userId, now);

export const setReviewPosting = (db: DB, stepId: number, postingId: number) =>
  db.prepare('UPDATE onboarding_workload_reviews SET posting_id = ? WHERE step_id = ? AND posting_id IS NULL').run(postingId, stepId);

export const membershipRole = (db: DB, userId: number, organisationId: number, role: string) =>
  db.prepare('SELECT 1 FROM memberships WHERE user_id = ? AND organisation_id = ? AND role = ?').get(userId, organisationId, role) !== undefined;

export type StaffRow = { user_id: number; name: string; email: string; role: 'coordinator' | 'case_manager' };
export const staffOfOrganisation = (db: DB, organisationId: number) =>
  db
    .prepare(
      `SELECT u.id AS user_id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = ? AND m.role IN ('coordinator', 'case_manager') AND u.disabled_at IS NULL ORDER BY m.role, u.name`,
    )
    .all(organisationId) as StaffRow[];

export const isActiveMentorOf = (db: DB, mentorId: number, menteeId: number, menteeOrgId: number) =>
  db
    .prepare('SELECT 1 FROM network_mentor_pairings WHERE mentor_user_id = ? AND mentee_user_id = ? AND mentee_organisation_id = ? AND ended_at IS NULL')
    .get(mentorId, menteeId, menteeOrgId) !== undefined;

export type MentorRow = { mentor_name: string; mentor_email: string; mentor_organisation: string };
export const mentorOfPlan = (db: DB, plan: { user_id: number; organisation_id: number }) =>
  db
    .prepare(
      `SELECT u.name AS mentor_name, u.email AS mentor_email, o.name AS mentor_organisation FROM network_mentor_pairings mp
       JOIN users u ON u.id = mp.mentor_user_id JOIN organisations o ON o.id = mp.mentor_organisation_id
       WHERE mp.mentee_user_id = ? AND mp.mentee_organisation_id = ? AND mp.ended_at IS NULL`,
    )
    .get(plan.user_id, plan.organisation_id) as MentorRow | undefined;

// ---- owners: who a step belongs to, resolved from roles (never copied, so role changes follow) ----

/**
 * (step, owner) pairs of open steps. A 'coordinator' step belongs to the new coordinator in a
 * coordinator plan and to the CPTS's coordinators in a case-manager plan (who welcome the new
 * case manager); 'mentor' steps to the active peer mentor.
 */
const OWNERS = `
  SELECT s.id AS step_id, s.owner_user_id AS user_id FROM onboarding_plan_steps s WHERE s.owner_user_id IS NOT NULL AND s.status = 'todo'
  UNION
  SELECT s.id, m.user_id FROM onboarding_plan_steps s JOIN onboarding_plans p ON p.id = s.plan_id
    JOIN memberships m ON m.organisation_id = p.organisation_id AND m.role = 'bureau'
    WHERE s.owner_role = 'bureau' AND s.status = 'todo' AND s.owner_user_id IS NULL
  UNION
  SELECT s.id, m.user_id FROM onboarding_plan_steps s JOIN onboarding_plans p ON p.id = s.plan_id
    JOIN organisations o ON o.id = p.organisation_id
    JOIN memberships m ON m.region_id = o.region_id AND m.role = 'charge_de_mission'
    WHERE s.owner_role = 'charge_de_mission' AND s.status = 'todo' AND s.owner_user_id IS NULL
  UNION
  SELECT s.id, p.user_id FROM onboarding_plan_steps s JOIN onboarding_plans p ON p.id = s.plan_id
    WHERE s.owner_role = 'coordinator' AND p.kind = 'coordinator' AND s.status = 'todo' AND s.owner_user_id IS NULL
  UNION
  SELECT s.id, m.user_id FROM onboarding_plan_steps s JOIN onboarding_plans p ON p.id = s.plan_id
    JOIN memberships m ON m.organisation_id = p.organisation_id AND m.role = 'coordinator' AND m.user_id <> p.user_id
    WHERE s.owner_role = 'coordinator' AND p.kind = 'case_manager' AND s.status = 'todo' AND s.owner_user_id IS NULL
  UNION
  SELECT s.id, mp.mentor_user_id FROM onboarding_plan_steps s JOIN onboarding_plans p ON p.id = s.plan_id
    JOIN network_mentor_pairings mp ON mp.mentee_user_id = p.user_id AND mp.mentee_organisation_id = p.organisation_id AND mp.ended_at IS NULL
    WHERE s.owner_role = 'mentor' AND s.status = 'todo' AND s.owner_user_id IS NULL`;

export type OwnedStepRow = {
  owner_id: number;
  owner_name: string;
  owner_email: string;
  owner_locale: 'fr' | 'en';
  step_id: number;
  plan_id: number;
  title: string;
  owner_role: string;
  due_date: string;
  tag: string | null;
  hire_name: string;
  organisation_id: number;
  organisation_name: string;
};

const OWNED_SELECT = `SELECT ow.user_id AS owner_id, ou.name AS owner_name, ou.email AS owner_email, ou.locale AS owner_locale,
    s.id AS step_id, s.plan_id, s.title, s.owner_role, s.due_date, s.tag, hu.name AS hire_name, o.id AS organisation_id, o.name AS organisation_name
  FROM (${OWNERS}) ow
  JOIN onboarding_plan_steps s ON s.id = ow.step_id
  JOIN onboarding_plans p ON p.id = s.plan_id
  JOIN organisations o ON o.id = p.organisation_id
  JOIN users hu ON hu.id = p.user_id
  JOIN users ou ON ou.id = ow.user_id AND ou.disabled_at IS NULL`;

/** One owner's open steps across every plan, soonest first. */
export const openStepsOwnedBy = (db: DB, userId: number, limit = 50) =>
  db.prepare(`${OWNED_SELECT} WHERE ow.user_id = ? ORDER BY s.due_date, s.id LIMIT ?`).all(userId, limit) as OwnedStepRow[];

/** Every owner's open steps due on or before a day, for the reminder digest. */
export const openStepsDueBy = (db: DB, lastDay: string) =>
  db.prepare(`${OWNED_SELECT} WHERE s.due_date <= ? ORDER BY ow.user_id, s.due_date, s.id`).all(lastDay) as OwnedStepRow[];

export const digestSent = (db: DB, userId: number, day: string) => db.prepare('SELECT 1 FROM onboarding_digests WHERE user_id = ? AND day = ?').get(userId, day) !== undefined;
export const recordDigest = (db: DB, userId: number, day: string, now: string) =>
  db.prepare('INSERT OR IGNORE INTO onboarding_digests (user_id, day, sent_at) VALUES (?, ?, ?)').run(userId, day, now);
