import type { DB } from '../../core/db.js';
import { identityHiddenSql } from '../pipeline/anonymity.js';

/** The anonymity rule for the viewer @userId, on these queries' aliases. */
const MASKED = identityHiddenSql({ card: 'pc', stage: 's', settings: 'ps', viewer: '@userId' });

export type OfferRow = {
  id: number;
  organisation_id: number;
  posting_id: number;
  application_id: number;
  start_date: string;
  contract_type: 'CDI' | 'CDD' | 'other';
  contract_duration_months: number | null;
  fte_percent: number;
  salary_gross_yearly: number;
  status: 'pending' | 'accepted' | 'declined';
  decline_reason: string | null;
  decline_text: string | null;
  hired_user_id: number | null;
  onboarding_plan_id: number | null;
  created_at: string;
  created_by_name: string | null;
  answered_at: string | null;
  answered_by_name: string | null;
};

/** The application with what the hire needs: candidate identity, posting, stage. */
export type HireScope = {
  application_id: number;
  organisation_id: number;
  region_id: number;
  org_name: string;
  posting_id: number;
  posting_title: string;
  posting_kind: 'coordinator' | 'case_manager' | 'other';
  posting_status: string;
  posting_contract_type: 'CDI' | 'CDD' | 'other';
  posting_contract_duration_months: number | null;
  posting_fte_percent: number | null;
  posting_salary_min: number | null;
  posting_start_date: string | null;
  candidate_email: string;
  first_name: string;
  last_name: string;
  full_name: string;
  anon_number: number;
  masked: number;
  stage_id: number;
  stage_key: string | null;
  stage_kind: string;
  stage_name: string;
};

/** `masked` by the anonymity rule for the viewer (user id; null: nobody's reveal counts). */
export const hireScope = (db: DB, applicationId: number, userId: number | null) =>
  db
    .prepare(
      `SELECT a.id AS application_id, a.organisation_id, o.region_id, o.name AS org_name, p.id AS posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at,
              p.kind AS posting_kind, p.status AS posting_status, p.contract_type AS posting_contract_type,
              p.contract_duration_months AS posting_contract_duration_months, p.fte_percent AS posting_fte_percent,
              p.salary_min AS posting_salary_min, p.start_date AS posting_start_date, c.email AS candidate_email, c.first_name, c.last_name,
              trim(c.first_name || ' ' || c.last_name) AS full_name, pc.anon_number, ${MASKED} AS masked,
              s.id AS stage_id, s.stage_key, s.kind AS stage_kind, s.name AS stage_name
       FROM applications a
       JOIN postings p ON p.id = a.posting_id
       JOIN organisations o ON o.id = a.organisation_id
       JOIN candidates c ON c.id = a.candidate_id
       JOIN pipeline_cards pc ON pc.application_id = a.id
       JOIN pipeline_stages s ON s.id = pc.stage_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = a.posting_id
       WHERE a.id = @applicationId`,
    )
    .get({ applicationId, userId }) as HireScope | undefined;

export const offersOf = (db: DB, applicationId: number) =>
  db
    .prepare(
      `SELECT f.*, cu.name AS created_by_name, au.name AS answered_by_name
       FROM offers f LEFT JOIN users cu ON cu.id = f.created_by LEFT JOIN users au ON au.id = f.answered_by
       WHERE f.application_id = ? ORDER BY f.id DESC`,
    )
    .all(applicationId) as OfferRow[];

export const pendingOffer = (db: DB, applicationId: number) =>
  db.prepare("SELECT * FROM offers WHERE application_id = ? AND status = 'pending'").get(applicationId) as OfferRow | undefined;

export const insertOffer = (
  db: DB,
  o: { organisationId: number; postingId: number; applicationId: number; startDate: string; contractType: string; duration: number | null; fte: number; salary: number; userId: number },
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO offers (organisation_id, posting_id, application_id, start_date, contract_type, contract_duration_months, fte_percent, salary_gross_yearly, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(o.organisationId, o.postingId, o.applicationId, o.startDate, o.contractType, o.duration, o.fte, o.salary, o.userId, now).lastInsertRowid,
  );

export const declineOffer = (db: DB, id: number, reason: string, text: string, userId: number, now: string) =>
  db
    .prepare("UPDATE offers SET status = 'declined', decline_reason = ?, decline_text = ?, answered_by = ?, answered_at = ? WHERE id = ? AND status = 'pending'")
    .run(reason, text || null, userId, now, id);

export const acceptOffer = (db: DB, id: number, hiredUserId: number | null, planId: number | null, userId: number, now: string) =>
  db
    .prepare(
      "UPDATE offers SET status = 'accepted', hired_user_id = ?, onboarding_plan_id = ?, answered_by = ?, answered_at = ? WHERE id = ? AND status = 'pending'",
    )
    .run(hiredUserId, planId, userId, now, id);

/** Candidates of the posting still in the running (not hired, rejected or withdrawn). */
export const openApplicationsOfPosting = (db: DB, postingId: number, exceptApplicationId: number, userId: number | null) =>
  db
    .prepare(
      `SELECT a.id AS application_id, c.first_name, c.last_name, trim(c.first_name || ' ' || c.last_name) AS full_name,
              s.id AS stage_id, s.name AS stage_name, pc.anon_number, ${MASKED} AS masked
       FROM applications a
       JOIN candidates c ON c.id = a.candidate_id
       JOIN pipeline_cards pc ON pc.application_id = a.id
       JOIN pipeline_stages s ON s.id = pc.stage_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = a.posting_id
       WHERE a.posting_id = @postingId AND a.id <> @exceptApplicationId AND s.kind IN ('new', 'middle')
       ORDER BY s.position, a.id`,
    )
    .all({ postingId, exceptApplicationId, userId }) as {
    application_id: number;
    first_name: string;
    last_name: string;
    full_name: string;
    stage_id: number;
    stage_name: string;
    anon_number: number;
    masked: number;
  }[];
