/**
 * Every candidate gets an answer. "A reply", defined here once for the bureau's dashboard and
 * its daily digest: the candidate has had a reply when
 * - the CPTS has sent them a mail other than the acknowledgement of receipt (or the link sent
 *   again): an invitation, a rejection, an offer... queued or sent, not cancelled (a cancelled
 *   mail loses its outbox row) and not held until the post is filled (it has no row yet), or
 * - the application has left the first stage (their private page then shows it under review).
 * An open application without a reply for more than the CPTS's number of days (15 unless the
 * bureau set another, recruitment_settings.waiting_days) is waiting.
 */
import type { DB } from '../../core/db.js';
import type { PostingLabelRow } from '../../core/posting-label.js';
import { nowIso } from '../../core/db.js';

export const DEFAULT_WAITING_DAYS = 15;

/** Mails that are no reply: the acknowledgement and the link sent again to the same address. */
const NOT_A_REPLY = "('applications.ack', 'applications.reapply')";

export type WaitingRow = {
  application_id: number;
  organisation_id: number;
  posting_id: number;
  anon_number: number;
  created_at: string;
  waiting_days: number;
} & PostingLabelRow;

/** The open applications without a reply for longer than their CPTS's number of days, oldest first. */
export function waitingApplications(db: DB, organisationIds: number[], now = new Date()): WaitingRow[] {
  if (!organisationIds.length) return [];
  return db
    .prepare(
      `SELECT a.id AS application_id, a.organisation_id, a.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, c.anon_number, a.created_at,
              COALESCE(rs.waiting_days, ${DEFAULT_WAITING_DAYS}) AS waiting_days
       FROM applications a
       JOIN pipeline_cards c ON c.application_id = a.id
       JOIN pipeline_stages s ON s.id = c.stage_id
       JOIN postings p ON p.id = a.posting_id
       JOIN candidates cd ON cd.id = a.candidate_id
       LEFT JOIN recruitment_settings rs ON rs.organisation_id = a.organisation_id
       WHERE a.organisation_id IN (SELECT value FROM json_each(@orgs))
         AND s.kind = 'new'
         AND a.status NOT IN ('withdrawn', 'hired', 'rejected')
         AND a.created_at <= strftime('%Y-%m-%dT%H:%M:%fZ', @now, '-' || COALESCE(rs.waiting_days, ${DEFAULT_WAITING_DAYS}) || ' days')
         AND NOT EXISTS (
           SELECT 1 FROM outbox_applications l JOIN outbox o ON o.id = l.outbox_id
           WHERE l.application_id = a.id AND lower(o.to_address) = lower(cd.email) AND o.status <> 'failed' AND o.template NOT IN ${NOT_A_REPLY})
       ORDER BY a.created_at, a.id`,
    )
    .all({ orgs: JSON.stringify(organisationIds), now: nowIso(now) }) as WaitingRow[];
}

/** Whole days since the application arrived, for the lists. */
export const daysWaiting = (row: { created_at: string }, now = new Date()) => Math.floor((now.getTime() - Date.parse(row.created_at)) / 86_400_000);

export function waitingDaysOf(db: DB, organisationId: number): number {
  const row = db.prepare('SELECT waiting_days FROM recruitment_settings WHERE organisation_id = ?').get(organisationId) as { waiting_days: number } | undefined;
  return row?.waiting_days ?? DEFAULT_WAITING_DAYS;
}
