import type { DB } from '../../core/db.js';
import type { PostingLabelFields, PostingLabelRow } from '../../core/posting-label.js';
import { identityHiddenSql } from '../pipeline/anonymity.js';

/** How far an application went in its recruitment: the highest position of a working stage it reached. */
const REACHED = `(SELECT MAX(s2.position) FROM pipeline_moves m JOIN pipeline_stages s2 ON s2.id = m.to_stage_id WHERE m.application_id = a.id AND s2.kind IN ('new', 'middle'))`;
const REACHED_NAME = `(SELECT s2.name FROM pipeline_moves m JOIN pipeline_stages s2 ON s2.id = m.to_stage_id WHERE m.application_id = a.id AND s2.kind IN ('new', 'middle') ORDER BY s2.position DESC LIMIT 1)`;

/**
 * In the region's pool: shared with the region, from a recruitment that is over (posting closed
 * or filled), not the person hired, not anonymised by retention.
 */
const IN_POOL = `o.region_id = @region AND a.region_pool_consent = 1 AND p.status IN ('closed', 'filled') AND a.status <> 'hired'
  AND COALESCE(s.kind, '') <> 'hired'
  AND NOT EXISTS (SELECT 1 FROM retention_anonymisations r WHERE r.application_id = a.id)`;

const POOL_FROM = `FROM applications a
  JOIN organisations o ON o.id = a.organisation_id
  JOIN postings p ON p.id = a.posting_id
  JOIN candidates c ON c.id = a.candidate_id
  LEFT JOIN pipeline_cards pc ON pc.application_id = a.id
  LEFT JOIN pipeline_stages s ON s.id = pc.stage_id
  LEFT JOIN pipeline_settings ps ON ps.posting_id = a.posting_id`;

export type PoolRow = {
  id: number;
  organisation_id: number;
  org_name: string;
  posting_id: number;
  posting_title: string;
  message: string;
  status: string;
  last_contact_at: string;
  full_name: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  anon_number: number;
  masked: number;
  reached: number | null;
  reached_name: string | null;
} & PostingLabelRow;

const POOL_COLUMNS = `a.id, a.organisation_id, o.name AS org_name, a.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, a.message, a.status, a.last_contact_at,
  c.first_name || ' ' || c.last_name AS full_name, c.first_name, c.last_name, c.email, c.phone, COALESCE(pc.anon_number, 0) AS anon_number,
  ${identityHiddenSql({ card: 'pc', stage: 's', settings: 'ps', viewer: '@userId' })} AS masked, ${REACHED} AS reached, ${REACHED_NAME} AS reached_name`;

/**
 * The region's pool, runner-ups first (furthest stage reached), then the most recent contact,
 * and how many there are, in one pass; with `match` (an FTS5 query holding the region's token),
 * only the applications whose indexed text matches. The index answers first (FTS5's own C, a
 * few milliseconds at national scale), the pool's conditions are then checked on its hits by
 * primary key, and only the page's rows are read in full.
 */
export function poolApplications(db: DB, regionId: number, userId: number, match: string | undefined, limit: number): { rows: PoolRow[]; total: number } {
  const hits = match
    ? 'SELECT rowid AS id FROM region_pool_fts WHERE region_pool_fts MATCH @match'
    : 'SELECT a.id FROM applications a JOIN organisations o ON o.id = a.organisation_id WHERE o.region_id = @region AND a.region_pool_consent = 1';
  const ranked = db
    .prepare(
      `WITH hits AS MATERIALIZED (${hits}),
       pool AS MATERIALIZED (
         SELECT a.id, a.last_contact_at, ${REACHED} AS reached FROM hits h CROSS JOIN applications a ON a.id = h.id
         JOIN organisations o ON o.id = a.organisation_id JOIN postings p ON p.id = a.posting_id
         LEFT JOIN pipeline_cards pc ON pc.application_id = a.id LEFT JOIN pipeline_stages s ON s.id = pc.stage_id
         WHERE ${IN_POOL})
       SELECT x.id, COUNT(*) OVER () AS total FROM pool x ORDER BY x.reached DESC NULLS LAST, x.last_contact_at DESC, x.id DESC LIMIT @limit`,
    )
    .all({ region: regionId, match: match ?? null, limit }) as { id: number; total: number }[];
  if (!ranked.length) return { rows: [], total: 0 };
  const rows = db
    .prepare(`SELECT ${POOL_COLUMNS} ${POOL_FROM} WHERE a.id IN (SELECT value FROM json_each(@ids))`)
    .all({ userId, ids: JSON.stringify(ranked.map((r) => r.id)) }) as PoolRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ranked.map((r) => byId.get(r.id)!).filter(Boolean), total: ranked[0]!.total };
}

/** One application of the region's pool, as the viewer may read it; undefined when not in the pool. */
export const poolApplication = (db: DB, regionId: number, userId: number, applicationId: number) =>
  db.prepare(`SELECT ${POOL_COLUMNS} ${POOL_FROM} WHERE ${IN_POOL} AND a.id = @id`).get({ region: regionId, userId, id: applicationId }) as PoolRow | undefined;

export type OpenPosting = { id: number; organisation_id: number; org_name: string; slug: string; contact_email: string; org_email: string | null } & PostingLabelFields;

/** Published postings of the region still taking applications (deadline today or later). */
export const openPostingsOfRegion = (db: DB, regionId: number, today: string) =>
  db
    .prepare(
      `SELECT p.id, p.organisation_id, o.name AS org_name, p.title, p.reference, p.status, p.published_at, p.deadline, p.closed_at, p.slug, p.contact_email, o.email AS org_email
       FROM postings p JOIN organisations o ON o.id = p.organisation_id
       WHERE o.region_id = ? AND p.status = 'published' AND (p.deadline IS NULL OR p.deadline >= ?) ORDER BY o.name, p.title`,
    )
    .all(regionId, today) as OpenPosting[];

export type ProposalRow = {
  id: number;
  region_id: number;
  source_application_id: number;
  posting_id: number;
  organisation_id: number;
  proposer_name: string;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  application_id: number | null;
  expires_at: string;
  created_at: string;
  answered_at: string | null;
};

const PROPOSAL_COLUMNS = 'x.id, x.region_id, x.source_application_id, x.posting_id, x.organisation_id, x.proposer_name, x.status, x.application_id, x.expires_at, x.created_at, x.answered_at';

export const insertProposal = (
  db: DB,
  p: { region_id: number; source_application_id: number; posting_id: number; organisation_id: number; proposed_by: number; proposer_name: string; token_hash: string; expires_at: string },
  now: string,
) =>
  Number(
    db
      .prepare(
        `INSERT INTO pool_proposals (region_id, source_application_id, posting_id, organisation_id, proposed_by, proposer_name, token_hash, expires_at, created_at)
         VALUES (@region_id, @source_application_id, @posting_id, @organisation_id, @proposed_by, @proposer_name, @token_hash, @expires_at, @now)`,
      )
      .run({ ...p, now }).lastInsertRowid,
  );

export const proposalFor = (db: DB, sourceApplicationId: number, postingId: number) =>
  db.prepare(`SELECT ${PROPOSAL_COLUMNS} FROM pool_proposals x WHERE x.source_application_id = ? AND x.posting_id = ?`).get(sourceApplicationId, postingId) as ProposalRow | undefined;

export type ProposalView = ProposalRow & { posting_title: string; posting_reference: string | null; posting_slug: string; posting_status: string; posting_deadline: string | null; org_name: string; org_email: string | null; contact_email: string };

export const proposalByHash = (db: DB, hash: string) =>
  db
    .prepare(
      `SELECT ${PROPOSAL_COLUMNS}, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, p.slug AS posting_slug, p.status AS posting_status, p.deadline AS posting_deadline,
              o.name AS org_name, o.email AS org_email, p.contact_email
       FROM pool_proposals x JOIN postings p ON p.id = x.posting_id JOIN organisations o ON o.id = x.organisation_id WHERE x.token_hash = ?`,
    )
    .get(hash) as ProposalView | undefined;

/** The proposals made for these applications, newest first, with the posting they were for. */
export const proposalsOf = (db: DB, applicationIds: number[]) =>
  db
    .prepare(
      `SELECT ${PROPOSAL_COLUMNS}, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, o.name AS org_name FROM pool_proposals x
       JOIN postings p ON p.id = x.posting_id JOIN organisations o ON o.id = x.organisation_id
       WHERE x.source_application_id IN (SELECT value FROM json_each(?)) ORDER BY x.id DESC`,
    )
    .all(JSON.stringify(applicationIds)) as (ProposalRow & { posting_title: string; org_name: string })[];

/** Answers a pending proposal; false when it was answered meanwhile. */
export const answerProposal = (db: DB, id: number, status: 'accepted' | 'declined', applicationId: number | null, now: string) =>
  db.prepare("UPDATE pool_proposals SET status = ?, application_id = ?, answered_at = ? WHERE id = ? AND status = 'pending'").run(status, applicationId, now, id).changes === 1;

/** An application of this address already at the posting, in the posting's CPTS. */
export const alreadyAtPosting = (db: DB, postingId: number, email: string) =>
  db
    .prepare('SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id WHERE a.posting_id = ? AND lower(c.email) = lower(?) LIMIT 1')
    .get(postingId, email) !== undefined;
