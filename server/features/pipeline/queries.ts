import type { DB } from '../../core/db.js';
import type { Locale } from '../../core/i18n.js';
import type { PostingLabelRow } from '../../core/posting-label.js';
import { identityHiddenSql, registerSearchFunction } from './anonymity.js';

/*
 * The pipeline reads the postings, candidates, applications and documents of the
 * jobs/applications features (migration 002) and writes only its own tables (004).
 * The names of their columns are gathered here.
 */
const CANDIDATE_JOIN = `JOIN applications a ON a.id = c.application_id
  JOIN candidates cd ON cd.id = a.candidate_id`;
const FULL_NAME = `trim(cd.first_name || ' ' || cd.last_name)`;

/** 1 when identity is hidden from this user (the anonymity rule, anonymity.ts). */
const MASKED = identityHiddenSql();

export type StageKind = 'new' | 'middle' | 'hired' | 'rejected' | 'withdrawn';
export type StageRow = {
  id: number;
  organisation_id: number;
  posting_id: number;
  kind: StageKind;
  stage_key: string | null;
  name: string;
  position: number;
  anonymised: number;
  count: number;
};

export type PostingRow = {
  id: number;
  organisation_id: number;
  region_id: number;
  org_name: string;
  org_email: string | null;
  title: string;
  slug: string;
  status: string;
  contact: string;
  anonymised: number;
};

export type ApplicationRow = {
  application_id: number;
  posting_id: number;
  organisation_id: number;
  region_id: number;
  org_name: string;
  org_email: string | null;
  posting_title: string;
  posting_contact: string;
  posting_anonymised: number;
  candidate_id: number;
  full_name: string;
  email: string;
  phone: string | null;
  message: string;
  created_at: string;
  stage_id: number;
  stage_name: string;
  stage_kind: StageKind;
  stage_key: string | null;
  stage_anonymised: number;
  anon_number: number;
  identity_open: number;
  rejection_reason: string | null;
  rejection_text: string | null;
  entered_at: string;
  masked: number;
} & PostingLabelRow;

export type CardRow = {
  application_id: number;
  stage_id: number;
  anon_number: number;
  full_name: string;
  created_at: string;
  entered_at: string;
  document_count: number;
  masked: number;
};

export type ListRow = CardRow & {
  posting_id: number;
  posting_title: string;
  stage_name: string;
  stage_kind: StageKind;
  email: string;
  knocked_out: number;
};

const POSTING_COLUMNS = `p.id, p.organisation_id, o.region_id, o.name AS org_name, o.email AS org_email, p.title, p.reference, p.published_at, p.deadline, p.closed_at, p.slug, p.status,
  trim(COALESCE(p.contact_name, '') || CASE WHEN COALESCE(p.contact_email, '') <> '' THEN ', ' || p.contact_email ELSE '' END) AS contact,
  COALESCE(ps.anonymised, 0) AS anonymised`;

export const postingById = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT ${POSTING_COLUMNS} FROM postings p JOIN organisations o ON o.id = p.organisation_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = p.id WHERE p.id = ?`,
    )
    .get(id) as PostingRow | undefined;

export const postingsOfOrganisation = (db: DB, organisationId: number) =>
  db.prepare('SELECT id, title, reference, status, published_at, deadline, closed_at FROM postings WHERE organisation_id = ? ORDER BY created_at DESC, id DESC').all(organisationId) as { id: number; title: string; reference: string }[];

export const applicationById = (db: DB, id: number, userId: number) =>
  db
    .prepare(
      `SELECT c.application_id, c.posting_id, c.organisation_id, o.region_id, o.name AS org_name, o.email AS org_email,
              p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at,
              trim(COALESCE(p.contact_name, '') || CASE WHEN COALESCE(p.contact_email, '') <> '' THEN ', ' || p.contact_email ELSE '' END) AS posting_contact,
              COALESCE(ps.anonymised, 0) AS posting_anonymised,
              cd.id AS candidate_id, ${FULL_NAME} AS full_name, cd.email, cd.phone, COALESCE(a.message, '') AS message, a.created_at,
              c.stage_id, s.name AS stage_name, s.kind AS stage_kind, s.stage_key, s.anonymised AS stage_anonymised,
              c.anon_number, c.identity_open, c.rejection_reason, c.rejection_text, c.entered_at, ${MASKED} AS masked
       FROM pipeline_cards c ${CANDIDATE_JOIN}
       JOIN pipeline_stages s ON s.id = c.stage_id
       JOIN postings p ON p.id = c.posting_id
       JOIN organisations o ON o.id = c.organisation_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id
       WHERE c.application_id = @id`,
    )
    .get({ id, userId }) as ApplicationRow | undefined;

export type IdentityOfRow = { application_id: number; organisation_id: number; posting_id: number; anon_number: number; full_name: string; first_name: string; last_name: string; email: string; phone: string | null; masked: number };

/**
 * Who the candidate of an application is, with the anonymity rule's verdict for a viewer
 * (a user id; null for a mail to the CPTS at large, which no personal reveal opens).
 */
export const identityOf = (db: DB, applicationId: number, userId: number | null) =>
  db
    .prepare(
      `SELECT c.application_id, c.organisation_id, c.posting_id, c.anon_number, ${FULL_NAME} AS full_name, cd.first_name, cd.last_name, cd.email, cd.phone, ${MASKED} AS masked
       FROM pipeline_cards c ${CANDIDATE_JOIN}
       JOIN pipeline_stages s ON s.id = c.stage_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id
       WHERE c.application_id = @id`,
    )
    .get({ id: applicationId, userId }) as IdentityOfRow | undefined;

/** The application's organisation, for the policy check before anything else is read. */
export const applicationScopes = (db: DB, ids: number[]) =>
  ids.length === 0
    ? []
    : (db
        .prepare(
          `SELECT c.application_id, c.posting_id, c.organisation_id, o.region_id, c.stage_id
           FROM pipeline_cards c JOIN organisations o ON o.id = c.organisation_id
           WHERE c.application_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(ids)) as { application_id: number; posting_id: number; organisation_id: number; region_id: number; stage_id: number }[]);

// ---- Stages -------------------------------------------------------------------------------

export const stagesOfPosting = (db: DB, postingId: number) =>
  db
    .prepare(
      `SELECT s.id, s.organisation_id, s.posting_id, s.kind, s.stage_key, s.name, s.position, s.anonymised,
              (SELECT COUNT(*) FROM pipeline_cards c WHERE c.stage_id = s.id) AS count
       FROM pipeline_stages s WHERE s.posting_id = ? ORDER BY s.position, s.id`,
    )
    .all(postingId) as StageRow[];

export const stageById = (db: DB, id: number) =>
  db
    .prepare(
      `SELECT s.id, s.organisation_id, s.posting_id, s.kind, s.stage_key, s.name, s.position, s.anonymised,
              (SELECT COUNT(*) FROM pipeline_cards c WHERE c.stage_id = s.id) AS count
       FROM pipeline_stages s WHERE s.id = ?`,
    )
    .get(id) as StageRow | undefined;

/** Distinct stage names across the CPTS's postings, in their usual order, for the filters. */
export const stageNamesOfOrganisation = (db: DB, organisationId: number) =>
  (db.prepare('SELECT name FROM pipeline_stages WHERE organisation_id = ? GROUP BY name ORDER BY MIN(position), name').all(organisationId) as { name: string }[]).map(
    (r) => r.name,
  );

export const stageNameTaken = (db: DB, postingId: number, name: string, exceptId = 0) =>
  Boolean(db.prepare('SELECT 1 FROM pipeline_stages WHERE posting_id = ? AND name = ? COLLATE NOCASE AND id <> ?').get(postingId, name, exceptId));

export const insertStage = (db: DB, s: { organisationId: number; postingId: number; kind: StageKind; key: string | null; name: string; position: number; anonymised: boolean }, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO pipeline_stages (organisation_id, posting_id, kind, stage_key, name, position, anonymised, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(s.organisationId, s.postingId, s.kind, s.key, s.name, s.position, s.anonymised ? 1 : 0, now, now).lastInsertRowid,
  );

export const updateStage = (db: DB, id: number, name: string, anonymised: boolean, now: string) =>
  db.prepare('UPDATE pipeline_stages SET name = ?, anonymised = ?, updated_at = ? WHERE id = ?').run(name, anonymised ? 1 : 0, now, id);

export const setStagePosition = (db: DB, id: number, position: number) => db.prepare('UPDATE pipeline_stages SET position = ? WHERE id = ?').run(position, id);

export const deleteStage = (db: DB, id: number) => db.prepare('DELETE FROM pipeline_stages WHERE id = ?').run(id);

export const upsertSettings = (db: DB, postingId: number, organisationId: number, anonymised: boolean, now: string) =>
  db
    .prepare(
      `INSERT INTO pipeline_settings (posting_id, organisation_id, anonymised, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (posting_id) DO UPDATE SET anonymised = excluded.anonymised, updated_at = excluded.updated_at`,
    )
    .run(postingId, organisationId, anonymised ? 1 : 0, now);

// ---- Cards, board and lists ---------------------------------------------------------------

/** Every card of a posting in one query (documents counted in the same pass). */
/**
 * The cards a board shows: per stage, the `perStage` that have waited longest in it (the rest is
 * reached through the list, filtered by stage), each read as a short range of the index
 * pipeline_cards_board (posting, stage, entered_at). Stage counts come with `stagesOfPosting`.
 */
/** A card of the board without the candidate's name (board.ts keeps these; names are read fresh). */
export type CardSlot = Omit<CardRow, 'full_name'>;

/** The first `perStage` cards of each column for this viewer (their verdict of the anonymity rule). */
export const cardSlotsOfPosting = (db: DB, postingId: number, userId: number, perStage: number) =>
  db
    .prepare(
      `SELECT c.application_id, c.stage_id, c.anon_number, a.created_at, c.entered_at,
              (SELECT COUNT(*) FROM application_documents d WHERE d.application_id = c.application_id) AS document_count,
              ${MASKED} AS masked
       FROM pipeline_stages s
       JOIN pipeline_cards c ON c.application_id IN (
         SELECT k.application_id FROM pipeline_cards k WHERE k.posting_id = s.posting_id AND k.stage_id = s.id
         ORDER BY k.entered_at, k.application_id LIMIT @perStage)
       JOIN applications a ON a.id = c.application_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = s.posting_id
       WHERE s.posting_id = @postingId
       ORDER BY c.entered_at, c.application_id`,
    )
    .all({ postingId, userId, perStage }) as CardSlot[];

/** The names of these applications' candidates (the cards shown unmasked). */
export const candidateNames = (db: DB, applicationIds: readonly number[]) =>
  new Map(
    (
      db
        .prepare(`SELECT a.id, ${FULL_NAME} AS full_name FROM applications a JOIN candidates cd ON cd.id = a.candidate_id WHERE a.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(applicationIds)) as { id: number; full_name: string }[]
    ).map((r) => [r.id, r.full_name]),
  );

/** The posting's revision stamp (migrations 011 and 035); 0 before the first. */
export const postingRevision = (db: DB, postingId: number) =>
  (db.prepare('SELECT revision FROM posting_revisions WHERE posting_id = ?').pluck().get(postingId) as number | undefined) ?? 0;

export type ListFilter = {
  organisationId: number;
  postingId?: number;
  stageName?: string;
  from?: string;
  to?: string;
  q?: string;
  sort: 'date' | 'nom' | 'etape' | 'offre';
  order: 'asc' | 'desc';
  userId: number;
  /** true: at least one submitted panel evaluation; false: none yet. */
  scored?: boolean;
  /** true: an answer differs from a knock-out criterion of the posting's questions. */
  knockedOut?: boolean;
  answer?: { questionId: number; value: string };
};

const SORTS: Record<ListFilter['sort'], string> = {
  date: 'a.created_at',
  // Masked rows sort by their number, after the names: the order reveals nothing.
  nom: `CASE WHEN ${MASKED} = 1 THEN '~' || printf('%08d', c.anon_number) ELSE lower(cd.last_name || ' ' || cd.first_name) END`,
  etape: 's.position',
  offre: 'lower(p.title)',
};

function listWhere(f: ListFilter) {
  return {
    sql: `WHERE c.organisation_id = @org
            AND (@posting IS NULL OR c.posting_id = @posting)
            AND (@stage IS NULL OR s.name = @stage COLLATE NOCASE)
            AND (@from IS NULL OR a.created_at >= @from)
            AND (@to IS NULL OR a.created_at < @to)
            AND (@q IS NULL OR coordo_searchable(COALESCE(a.message, ''), cd.first_name, cd.last_name, cd.email, cd.phone, ${MASKED}) LIKE @q ESCAPE '\\'
                 OR (${MASKED} = 0 AND (${FULL_NAME} LIKE @q ESCAPE '\\' OR cd.email LIKE @q ESCAPE '\\' OR COALESCE(cd.phone, '') LIKE @q ESCAPE '\\')))
            AND (@scored IS NULL OR @scored = EXISTS (SELECT 1 FROM evaluations e WHERE e.application_id = a.id AND e.status = 'submitted'))
            AND (@ko IS NULL OR @ko = EXISTS (SELECT 1 FROM application_answers aa WHERE aa.application_id = a.id AND aa.knocked_out = 1))
            AND (@answerQ IS NULL OR EXISTS (SELECT 1 FROM application_answers aa JOIN posting_questions pq ON pq.id = aa.question_id
                                             WHERE aa.application_id = a.id AND aa.question_id = @answerQ AND pq.kind <> 'short_text' AND aa.value = @answerV))`,
    params: {
      org: f.organisationId,
      posting: f.postingId ?? null,
      stage: f.stageName ?? null,
      from: f.from ?? null,
      to: f.to ?? null,
      q: f.q ? `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null,
      userId: f.userId,
      scored: f.scored === undefined ? null : f.scored ? 1 : 0,
      ko: f.knockedOut === undefined ? null : f.knockedOut ? 1 : 0,
      answerQ: f.answer?.questionId ?? null,
      answerV: f.answer?.value ?? null,
    },
  };
}

const LIST_FROM = `FROM pipeline_cards c ${CANDIDATE_JOIN}
  JOIN pipeline_stages s ON s.id = c.stage_id
  JOIN postings p ON p.id = c.posting_id
  LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id`;

export function countList(db: DB, f: ListFilter): number {
  registerSearchFunction(db);
  const w = listWhere(f);
  return (db.prepare(`SELECT COUNT(*) AS n ${LIST_FROM} ${w.sql}`).get(w.params) as { n: number }).n;
}

export function pageOfList(db: DB, f: ListFilter, limit: number, offset: number): ListRow[] {
  registerSearchFunction(db);
  const w = listWhere(f);
  const direction = f.order === 'asc' ? 'ASC' : 'DESC';
  return db
    .prepare(
      `SELECT c.application_id, c.stage_id, c.anon_number, ${FULL_NAME} AS full_name, cd.email, a.created_at, c.entered_at,
              c.posting_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, s.name AS stage_name, s.kind AS stage_kind,
              (SELECT COUNT(*) FROM application_documents d WHERE d.application_id = c.application_id) AS document_count,
              EXISTS (SELECT 1 FROM application_answers aa WHERE aa.application_id = c.application_id AND aa.knocked_out = 1) AS knocked_out,
              ${MASKED} AS masked
       ${LIST_FROM} ${w.sql}
       ORDER BY ${SORTS[f.sort]} ${direction}, c.application_id ${direction}
       LIMIT @limit OFFSET @offset`,
    )
    .all({ ...w.params, limit, offset }) as ListRow[];
}

// ---- Moves ----------------------------------------------------------------------------------

/** Moves the card only if it is still where the form saw it: 0 changes means a stale form. */
export const moveCard = (
  db: DB,
  m: { applicationId: number; expectedStageId: number; stageId: number; openIdentity: boolean; rejectionReason: string | null; rejectionText: string | null },
  now: string,
) =>
  db
    .prepare(
      `UPDATE pipeline_cards SET stage_id = @stageId, entered_at = @now, identity_open = MAX(identity_open, @open),
              rejection_reason = @reason, rejection_text = @text
       WHERE application_id = @applicationId AND stage_id = @expectedStageId`,
    )
    .run({ ...m, open: m.openIdentity ? 1 : 0, reason: m.rejectionReason, text: m.rejectionText, now });

export const insertMove = (
  db: DB,
  m: { organisationId: number; applicationId: number; from: { id: number; name: string } | null; to: { id: number; name: string }; actorId: number | null; actorName: string; comment: string; reason: string | null },
  now: string,
) =>
  db
    .prepare(
      `INSERT INTO pipeline_moves (organisation_id, application_id, from_stage_id, to_stage_id, from_name, to_name, actor_user_id, actor_name, comment, reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(m.organisationId, m.applicationId, m.from?.id ?? null, m.to.id, m.from?.name ?? null, m.to.name, m.actorId, m.actorName, m.comment, m.reason, now);

/** True when the application has been at an interview stage or beyond. */
export const reachedInterview = (db: DB, applicationId: number) =>
  Boolean(
    db
      .prepare(
        `SELECT 1 FROM pipeline_moves m JOIN pipeline_stages s ON s.id = m.to_stage_id
         WHERE m.application_id = ? AND (s.stage_key IN ('interview', 'jury', 'offer') OR s.kind = 'hired') LIMIT 1`,
      )
      .get(applicationId),
  );

/** True when the candidate really had an interview: one not cancelled whose time has come. */
export const hadInterview = (db: DB, applicationId: number, now: string) =>
  Boolean(db.prepare("SELECT 1 FROM interviews WHERE application_id = ? AND status = 'scheduled' AND starts_at <= ? LIMIT 1").get(applicationId, now));

// ---- Candidate page -----------------------------------------------------------------------

export type MoveRow = { id: number; from_name: string | null; to_name: string; actor_name: string; comment: string; reason: string | null; created_at: string };
export type NoteRow = { id: number; author_name: string; body: string; created_at: string; mentioned: string | null };
export type MailRow = {
  id: number;
  template_key: string;
  subject: string;
  actor_name: string;
  created_at: string;
  status: string | null;
  held_until_filled: number;
  released_at: string | null;
  cancelled_at: string | null;
  cancelled_by_name: string | null;
};
export type DocumentRow = { id: number; application_id: number; kind: string; original_name: string; file_type: string; size_bytes: number; created_at: string };
export type RevealRow = { id: number; user_name: string; what: 'identity' | 'document'; created_at: string };

export const movesOf = (db: DB, applicationId: number) =>
  db
    .prepare('SELECT id, from_name, to_name, actor_name, comment, reason, created_at FROM pipeline_moves WHERE application_id = ? ORDER BY created_at, id')
    .all(applicationId) as MoveRow[];

export const notesOf = (db: DB, applicationId: number) =>
  db
    .prepare(
      `SELECT n.id, n.author_name, n.body, n.created_at,
              (SELECT group_concat(u.name, ', ') FROM pipeline_note_mentions nm JOIN users u ON u.id = nm.user_id WHERE nm.note_id = n.id) AS mentioned
       FROM pipeline_notes n WHERE n.application_id = ? ORDER BY n.created_at, n.id`,
    )
    .all(applicationId) as NoteRow[];

export const mailsOf = (db: DB, applicationId: number) =>
  db
    .prepare(
      `SELECT m.id, m.template_key, m.subject, m.actor_name, m.created_at, o.status, m.held_until_filled, m.released_at, m.cancelled_at, m.cancelled_by_name
       FROM pipeline_mails m LEFT JOIN outbox o ON o.id = m.outbox_id WHERE m.application_id = ? ORDER BY m.created_at, m.id`,
    )
    .all(applicationId) as MailRow[];

export const revealsOf = (db: DB, applicationId: number) =>
  db.prepare('SELECT id, user_name, what, created_at FROM pipeline_reveals WHERE application_id = ? ORDER BY created_at, id').all(applicationId) as RevealRow[];

export const documentsOf = (db: DB, applicationId: number) =>
  db
    .prepare('SELECT id, application_id, kind, original_name, file_type, size_bytes, created_at FROM application_documents WHERE application_id = ? ORDER BY created_at, id')
    .all(applicationId) as DocumentRow[];

export const documentFile = (db: DB, applicationId: number, documentId: number) =>
  db
    .prepare('SELECT id, kind, original_name, file_type, stored_name, size_bytes FROM application_documents WHERE id = ? AND application_id = ?')
    .get(documentId, applicationId) as { id: number; kind: string; original_name: string; file_type: 'pdf' | 'docx' | 'odt'; stored_name: string; size_bytes: number } | undefined;

export type OtherApplicationRow = { application_id: number; posting_title: string; stage_name: string; created_at: string; masked: number };

/**
 * The CPTS's other applications sent with the same e-mail address (any case): a fact shown to
 * the bureau, never a merge (each application keeps its own candidate row, migration 015).
 * Only within the CPTS: another CPTS's applications are never named. Each comes with the
 * anonymity rule's verdict for this user (a cross-link ties two identities together).
 */
export const otherApplications = (db: DB, email: string, organisationId: number, exceptId: number, userId: number) =>
  db
    .prepare(
      `SELECT c.application_id, p.title AS posting_title, p.reference AS posting_reference, p.status AS posting_status, p.published_at AS posting_published_at, p.deadline AS posting_deadline, p.closed_at AS posting_closed_at, s.name AS stage_name, a.created_at, ${MASKED} AS masked
       FROM candidates cd JOIN applications a ON a.candidate_id = cd.id JOIN pipeline_cards c ON c.application_id = a.id
       JOIN postings p ON p.id = c.posting_id JOIN pipeline_stages s ON s.id = c.stage_id
       LEFT JOIN pipeline_settings ps ON ps.posting_id = c.posting_id
       WHERE cd.organisation_id = @organisationId AND cd.email = @email COLLATE NOCASE AND a.organisation_id = @organisationId AND a.id <> @exceptId
       ORDER BY a.created_at DESC, a.id DESC`,
    )
    .all({ email, organisationId, exceptId, userId }) as OtherApplicationRow[];

/** People who may read this CPTS's applications: its bureau and the chargés de mission of its region. */
export const mentionableMembers = (db: DB, organisationId: number, regionId: number) =>
  db
    .prepare(
      `SELECT DISTINCT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE u.disabled_at IS NULL
         AND ((m.organisation_id = ? AND m.role = 'bureau') OR (m.region_id = ? AND m.role = 'charge_de_mission'))
       ORDER BY u.name`,
    )
    .all(organisationId, regionId) as { id: number; name: string; email: string }[];

export const insertNote = (db: DB, n: { organisationId: number; applicationId: number; authorId: number; authorName: string; body: string }, now: string) =>
  Number(
    db
      .prepare('INSERT INTO pipeline_notes (organisation_id, application_id, author_user_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(n.organisationId, n.applicationId, n.authorId, n.authorName, n.body, now).lastInsertRowid,
  );

export const insertMention = (db: DB, noteId: number, userId: number) =>
  db.prepare('INSERT OR IGNORE INTO pipeline_note_mentions (note_id, user_id) VALUES (?, ?)').run(noteId, userId);

export const insertPipelineMail = (
  db: DB,
  m: { organisationId: number; applicationId: number; outboxId: number; key: string; subject: string; actorId: number | null; actorName: string },
  now: string,
) =>
  db
    .prepare(
      `INSERT INTO pipeline_mails (organisation_id, application_id, outbox_id, template_key, subject, actor_user_id, actor_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(m.organisationId, m.applicationId, m.outboxId, m.key, m.subject, m.actorId, m.actorName, now);

export const insertReveal = (
  db: DB,
  r: { organisationId: number; applicationId: number; userId: number; userName: string; what: 'identity' | 'document'; documentId?: number },
  now: string,
) =>
  db
    .prepare('INSERT INTO pipeline_reveals (organisation_id, application_id, user_id, user_name, what, document_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(r.organisationId, r.applicationId, r.userId, r.userName, r.what, r.documentId ?? null, now);

// ---- Mail templates -------------------------------------------------------------------------

export type TemplateRow = { template_key: string; subject: string; body: string; updated_at: string };

/** The CPTS's own copy of a template in one language, if it wrote one. */
export const templateOf = (db: DB, organisationId: number, key: string, locale: Locale) =>
  db.prepare('SELECT template_key, subject, body, updated_at FROM candidate_mail_templates WHERE organisation_id = ? AND template_key = ? AND locale = ?').get(organisationId, key, locale) as
    | TemplateRow
    | undefined;

export const upsertTemplate = (db: DB, t: { organisationId: number; key: string; locale: Locale; subject: string; body: string; userId: number }, now: string) =>
  db
    .prepare(
      `INSERT INTO candidate_mail_templates (organisation_id, template_key, locale, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (organisation_id, template_key, locale) DO UPDATE SET subject = excluded.subject, body = excluded.body,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .run(t.organisationId, t.key, t.locale, t.subject, t.body, t.userId, now);

export const deleteTemplate = (db: DB, organisationId: number, key: string, locale: Locale) =>
  db.prepare('DELETE FROM candidate_mail_templates WHERE organisation_id = ? AND template_key = ? AND locale = ?').run(organisationId, key, locale);

/**
 * Keeps the application's coarse status (shown to the candidate on their private page) in
 * step with its stage; a mail to the candidate counts as a contact (talent-pool retention).
 */
export const setApplicationStatus = (db: DB, applicationId: number, status: string, now: string, contacted: boolean) =>
  db
    .prepare(`UPDATE applications SET status = ?, updated_at = ?, last_contact_at = CASE WHEN ? = 1 THEN ? ELSE last_contact_at END WHERE id = ?`)
    .run(status, now, contacted ? 1 : 0, now, applicationId);

export type EventRow = { id: number; action: string; at: string };

/** What the candidate did (re-applied with new documents, withdrew), from the applications feature. */
export const candidateEventsOf = (db: DB, applicationId: number) =>
  db.prepare("SELECT id, action, at FROM application_events WHERE application_id = ? AND action <> 'submitted' ORDER BY at, id").all(applicationId) as EventRow[];

/** Seated on the posting's panel (the evaluation feature's table). */
export const isPanelMember = (db: DB, postingId: number, userId: number) =>
  Boolean(db.prepare('SELECT 1 FROM panel_members WHERE posting_id = ? AND user_id = ?').get(postingId, userId));

export type QueueRow = { application_id: number; entered_at: string };

/** A stage's applications in the board's order: the screening view goes through them. */
export const stageQueue = (db: DB, postingId: number, stageId: number) =>
  db
    .prepare('SELECT application_id, entered_at FROM pipeline_cards WHERE posting_id = ? AND stage_id = ? ORDER BY entered_at, application_id')
    .all(postingId, stageId) as QueueRow[];
