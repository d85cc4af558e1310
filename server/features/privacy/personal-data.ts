/**
 * Every copy of a candidate's personal data, declared once: which table holds it, in which
 * text columns, how erasure removes it, how retention's anonymisation removes it while keeping
 * anonymous statistics, and what the access export shows of it. Erasure (candidate's link or
 * bureau), retention and the access export all go through `forgetPerson` / `accessSections`
 * below, so a feature that adds a copy of a candidate's data adds it here, and only here.
 *
 * test/privacy/personal-data.test.ts reads every table's text columns from the schema and fails
 * when one is neither declared in a copy nor in UNRELATED (with the reason it holds no
 * candidate's data): the next feature cannot forget. Another test fills every copy, erases,
 * and scans the raw database file, its WAL and the data folder for the person.
 */
import type { DB } from '../../core/db.js';
import { removeFromPool } from '../pool/search-index.js';
import {
  fullNames,
  identifierParams,
  identifiersOf,
  MARKER,
  mentionsAny,
  replaceAll,
  type AccessOptions,
  type Copy,
  type ForgetMode,
  type ForgetResult,
  type Person,
  type Step,
} from './person.js';

export { applicationsOfPerson, identifiersOf, MARKER, personOf, type AccessOptions, type FieldKind, type ForgetMode, type ForgetResult, type Person } from './person.js';
export { UNRELATED } from './unrelated.js';

const IDS = '(SELECT value FROM json_each(@ids))';

/** A decision's reasons per criterion (JSON) as one readable text for the access export. */
function criteriaText(json: string): string {
  try {
    const list = JSON.parse(json) as { criterion?: string; text?: string }[];
    return Array.isArray(list) ? list.map((c) => `${c.criterion ?? ''} : ${c.text ?? ''}`).join('\n') : '';
  } catch {
    return '';
  }
}
const idsOf = (p: Person) => JSON.stringify(p.applicationIds);
// A posting is named with its reference (issue 13) so that two of the same title are told apart;
// the copy is a document in French, the language of the application form.
const POSTING = "(SELECT json_object('title', title, 'reference', reference) FROM postings WHERE id = x.posting_id) AS posting";

/** Mails: pending ones are cancelled (deleted: they never leave), sent ones keep only that they were sent. */
const forgetOutbox: Step = (db, p, mode, out) => {
  const marker = MARKER[mode];
  const identifiers = identifiersOf(p);
  const ids = idsOf(p);
  const linked = db
    .prepare(
      `SELECT o.id, o.status, lower(o.to_address) = lower(@email) AS to_person,
              EXISTS (SELECT 1 FROM outbox_applications l2 WHERE l2.outbox_id = o.id AND l2.application_id NOT IN ${IDS}) AS shared
       FROM outbox o WHERE o.id IN (SELECT outbox_id FROM outbox_applications WHERE application_id IN ${IDS})`,
    )
    .all({ ids, email: p.email }) as { id: number; status: string; to_person: number; shared: number }[];
  // Mails that name no application (queued before outboxes did, or an invitation to a hired
  // person): by address, or naming the person in full, within the CPTS, once no other
  // application of theirs remains there. A first or last name alone is too weak to match on.
  const strong = identifiersOf({ ...p, firstName: '', lastName: '' }).concat(fullNames(p));
  const unlinked = p.whole
    ? (db
        .prepare(
          `SELECT o.id, o.status, lower(o.to_address) = lower(@email) AS to_person, 1 AS shared FROM outbox o
           WHERE o.organisation_id = @org
             AND NOT EXISTS (SELECT 1 FROM outbox_applications l WHERE l.outbox_id = o.id)
             AND (lower(o.to_address) = lower(@email) OR ${mentionsAny('o.subject', strong)} OR ${mentionsAny('o.text_body', strong)})`,
        )
        .all({ email: p.email, org: p.organisationId, ...identifierParams(strong, marker) }) as { id: number; status: string; to_person: number; shared: number }[])
    : [];
  const scrubText = db.prepare(
    `UPDATE outbox SET subject = ${replaceAll('subject', identifiers)}, text_body = ${replaceAll('text_body', identifiers)},
       html_body = ${replaceAll('html_body', identifiers)}, attachments = ${replaceAll('attachments', identifiers)},
       last_error = ${replaceAll('last_error', identifiers)},
       to_address = CASE WHEN lower(to_address) = lower(@email) THEN @marker ELSE to_address END
     WHERE id = @id`,
  );
  for (const row of [...linked, ...unlinked]) {
    const aboutOnlyThem = row.shared === 0 || row.to_person === 1;
    if (aboutOnlyThem && row.status !== 'sent') {
      db.prepare('DELETE FROM outbox WHERE id = ?').run(row.id);
      out.mailsCancelled++;
    } else if (aboutOnlyThem) {
      db.prepare(
        `UPDATE outbox SET subject = @marker, text_body = '', html_body = '', attachments = '[]', last_error = NULL,
           to_address = CASE WHEN lower(to_address) = lower(@email) THEN @marker ELSE to_address END WHERE id = @id`,
      ).run({ id: row.id, marker, email: p.email });
      out.mailsScrubbed++;
    } else {
      // A digest also about other candidates: only the person's name leaves it.
      scrubText.run({ id: row.id, email: p.email, ...identifierParams(identifiers, marker) });
      out.mailsScrubbed++;
    }
  }
};

/** Audit entries about the applications or their documents keep what happened, not what was said. */
const forgetAudit: Step = (db, p) => {
  const docs = JSON.stringify(db.prepare(`SELECT id FROM application_documents WHERE application_id IN ${IDS}`).pluck().all({ ids: idsOf(p) }));
  db.prepare(
    `UPDATE audit_log SET details = '{}', ip = CASE WHEN actor_user_id IS NULL THEN NULL ELSE ip END
     WHERE ((target_type = 'application' AND target_id IN ${IDS}) OR (target_type = 'application_document' AND target_id IN (SELECT value FROM json_each(@docs))))
       AND (details <> '{}' OR (actor_user_id IS NULL AND ip IS NOT NULL))`,
  ).run({ ids: idsOf(p), docs });
};

/** A flash message naming the person may wait in a staff member's session until their next page. */
const forgetSessions: Step = (db, p, mode) => {
  const identifiers = identifiersOf(p);
  db.prepare(`UPDATE sessions SET sess = ${replaceAll('sess', identifiers)} WHERE ${mentionsAny('sess', identifiers)}`).run(identifierParams(identifiers, MARKER[mode]));
};

const forgetDocuments: Step = (db, p, _mode, out) => {
  out.files.push(...(db.prepare(`SELECT stored_name FROM application_documents WHERE application_id IN ${IDS}`).pluck().all({ ids: idsOf(p) }) as string[]));
};

/**
 * The regional pool's index row and the documents' extracted text. The FTS5 table is
 * contentless with secure-delete on (migration 028): deleting the row removes its terms from
 * the index's own tables (region_pool_fts_data, _idx) at once, so they are declared with it.
 */
const forgetPoolIndex: Step = (db, p, _mode, out) => {
  if (removeFromPool(db, p.applicationIds)) out.poolIndex = true;
};

const run = (sql: string): Step => (db, p, mode) => {
  db.prepare(sql).run({ ids: idsOf(p), marker: MARKER[mode] });
};

/** In order: each step runs before the rows it reads are deleted by a later one. */
export const COPIES: Copy[] = [
  {
    table: 'outbox',
    personal: ['to_address', 'subject', 'text_body', 'html_body', 'attachments', 'last_error'],
    other: ['template', 'status', 'next_attempt_at', 'lease_until', 'created_at', 'sent_at', 'message_id', 'reply_to'],
    erase: forgetOutbox,
    anonymise: forgetOutbox,
    access: {
      key: 'mails',
      fields: [['subject', 'text'], ['created_at', 'datetime'], ['status', { code: ['privacy.access.mailStatus'] }], ['sent_at', 'datetime'], ['text_body', 'long']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT subject, created_at, status, sent_at, text_body FROM outbox o
             WHERE lower(o.to_address) = lower(@email)
               AND (o.id IN (SELECT outbox_id FROM outbox_applications WHERE application_id IN ${IDS}) OR o.organisation_id = @org)
             ORDER BY o.id`,
          )
          .all({ ids: idsOf(p), email: p.email, org: p.organisationId }) as Record<string, unknown>[],
    },
  },
  { table: 'audit_log', personal: ['details', 'ip'], other: ['at', 'actor_label', 'action', 'target_type'], erase: forgetAudit, anonymise: forgetAudit },
  { table: 'sessions', personal: ['sess'], other: ['sid'], erase: forgetSessions, anonymise: forgetSessions },
  { table: 'region_pool_fts', personal: ['body', 'region'], other: [], erase: forgetPoolIndex, anonymise: forgetPoolIndex },
  // FTS5's own tables behind region_pool_fts: written only through it (see forgetPoolIndex).
  { table: 'region_pool_fts_data', personal: ['block'], other: [], erase: forgetPoolIndex, anonymise: forgetPoolIndex },
  { table: 'region_pool_fts_idx', personal: ['segid', 'term', 'pgno'], other: [], erase: forgetPoolIndex, anonymise: forgetPoolIndex },
  {
    table: 'document_texts',
    personal: ['body'],
    other: ['extracted_at'],
    erase: 'cascade',
    anonymise: run(`DELETE FROM document_texts WHERE application_id IN ${IDS}`),
    access: {
      key: 'documentTexts',
      fields: [['original_name', 'text'], ['extracted_at', 'datetime'], ['body', 'long']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT d.original_name, x.extracted_at, x.body FROM document_texts x JOIN application_documents d ON d.id = x.document_id
             WHERE x.application_id IN ${IDS} ORDER BY x.document_id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'pool_proposals',
    personal: ['token_hash'],
    other: ['proposer_name', 'status', 'expires_at', 'created_at', 'answered_at'],
    erase: 'cascade',
    anonymise: run(`DELETE FROM pool_proposals WHERE source_application_id IN ${IDS}`),
    access: {
      key: 'proposals',
      fields: [['posting', 'posting'], ['org_name', 'text'], ['proposer_name', 'text'], ['created_at', 'datetime'], ['status', { code: ['pool.status'] }], ['answered_at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT ${POSTING}, (SELECT name FROM organisations WHERE id = x.organisation_id) AS org_name, x.proposer_name, x.created_at, x.status, x.answered_at
             FROM pool_proposals x WHERE x.source_application_id IN ${IDS} ORDER BY x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'application_documents',
    personal: ['original_name'],
    other: ['kind', 'stored_name', 'file_type', 'sha256', 'created_at'],
    erase: forgetDocuments,
    anonymise: (db, p, mode, out) => {
      forgetDocuments(db, p, mode, out);
      run(`DELETE FROM application_documents WHERE application_id IN ${IDS}`)(db, p, mode, out);
    },
    access: {
      key: 'documents',
      fields: [['posting', 'posting'], ['original_name', 'text'], ['kind', { code: ['applications.kind'] }], ['file_type', 'text'], ['size_bytes', 'bytes'], ['created_at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT json_object('title', p.title, 'reference', p.reference) FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting,
                    x.original_name, x.kind, upper(x.file_type) AS file_type, x.size_bytes, x.created_at
             FROM application_documents x WHERE x.application_id IN ${IDS} ORDER BY x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'application_links',
    personal: ['token_hash'],
    other: ['expires_at', 'revoked_at', 'created_at'],
    erase: 'cascade',
    anonymise: run(`DELETE FROM application_links WHERE application_id IN ${IDS}`),
  },
  {
    table: 'application_events',
    personal: ['details'],
    other: ['action', 'at'],
    erase: 'cascade',
    anonymise: run(`UPDATE application_events SET details = '{}' WHERE application_id IN ${IDS}`),
    access: {
      key: 'events',
      fields: [['posting', 'posting'], ['action', { code: ['privacy.access.event'] }], ['at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT json_object('title', p.title, 'reference', p.reference) FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting, x.action, x.at
             FROM application_events x WHERE x.application_id IN ${IDS} ORDER BY x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'pipeline_cards',
    personal: ['rejection_text'],
    other: ['rejection_reason', 'entered_at'],
    erase: 'cascade',
    anonymise: run(`UPDATE pipeline_cards SET rejection_text = NULL WHERE application_id IN ${IDS}`),
  },
  {
    table: 'pipeline_moves',
    personal: ['comment'],
    other: ['from_name', 'to_name', 'actor_name', 'reason', 'created_at'],
    erase: 'cascade',
    anonymise: run(`UPDATE pipeline_moves SET comment = '' WHERE application_id IN ${IDS}`),
    access: {
      key: 'moves',
      fields: [['posting', 'posting'], ['created_at', 'datetime'], ['from_name', 'text'], ['to_name', 'text'], ['reason', { code: ['pipeline.reject.reasons', 'privacy.access.moveReason'] }], ['comment', 'long'], ['actor_name', 'text']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT json_object('title', p.title, 'reference', p.reference) FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting,
                    x.created_at, x.from_name, x.to_name, x.reason, x.comment, x.actor_name
             FROM pipeline_moves x WHERE x.application_id IN ${IDS} ORDER BY x.created_at, x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'pipeline_notes',
    personal: ['body'],
    other: ['author_name', 'created_at'],
    erase: 'cascade',
    anonymise: run(`DELETE FROM pipeline_notes WHERE application_id IN ${IDS}`),
    access: {
      key: 'notes',
      fields: [['posting', 'posting'], ['created_at', 'datetime'], ['author_name', 'text'], ['body', 'long']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT json_object('title', p.title, 'reference', p.reference) FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting, x.created_at, x.author_name, x.body
             FROM pipeline_notes x WHERE x.application_id IN ${IDS} ORDER BY x.created_at, x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'pipeline_mails',
    personal: ['subject'],
    other: ['template_key', 'actor_name', 'created_at', 'released_at', 'cancelled_at', 'cancelled_by_name'],
    erase: 'cascade',
    anonymise: run(`UPDATE pipeline_mails SET subject = @marker WHERE application_id IN ${IDS}`),
  },
  { table: 'pipeline_reveals', personal: [], other: ['user_name', 'what', 'created_at'], erase: 'cascade', anonymise: 'kept' },
  {
    table: 'evaluations',
    personal: ['summary', 'amendment_reason'],
    other: ['panelist_name', 'status', 'recommendation', 'submitted_at', 'superseded_at', 'created_at', 'updated_at'],
    erase: 'cascade',
    // Panel summaries are free text about the person; levels and recommendations stay.
    anonymise: run(`UPDATE evaluations SET summary = '', amendment_reason = '' WHERE application_id IN ${IDS}`),
    access: {
      key: 'evaluations',
      fields: [['posting', 'posting'], ['panelist_name', 'text'], ['version', 'number'], ['status', { code: ['privacy.access.evaluationStatus'] }], ['recommendation', { code: ['evaluation.recommendation'] }], ['summary', 'long'], ['amendment_reason', 'long'], ['submitted_at', 'datetime']],
      rows: (db, p, opts) =>
        (
          db
            .prepare(
              `SELECT x.application_id, ${POSTING}, x.panelist_name, x.version, x.status, x.recommendation, x.summary, x.amendment_reason, x.submitted_at
               FROM evaluations x WHERE x.application_id IN ${IDS} ORDER BY x.application_id, x.id`,
            )
            .all({ ids: idsOf(p) }) as (Record<string, unknown> & { application_id: number; status: string })[]
        )
          .filter((e) => (e.status === 'submitted' ? opts.evaluationsVisible(e.application_id) : opts.drafts))
          .map(({ application_id: _a, ...rest }) => rest),
    },
  },
  {
    table: 'evaluation_ratings',
    personal: ['comment'],
    other: [],
    erase: 'cascade',
    anonymise: run(`UPDATE evaluation_ratings SET comment = '' WHERE evaluation_id IN (SELECT id FROM evaluations WHERE application_id IN ${IDS})`),
    access: {
      key: 'ratings',
      fields: [['posting', 'posting'], ['panelist_name', 'text'], ['version', 'number'], ['criterion', 'text'], ['level', { code: ['evaluation.level'] }], ['comment', 'long']],
      rows: (db, p, opts) =>
        (
          db
            .prepare(
              `SELECT e.application_id, e.status, (SELECT json_object('title', title, 'reference', reference) FROM postings WHERE id = e.posting_id) AS posting, e.panelist_name, e.version,
                      c.label AS criterion, r.level, r.comment
               FROM evaluation_ratings r JOIN evaluations e ON e.id = r.evaluation_id JOIN scorecard_criteria c ON c.id = r.criterion_id
               WHERE e.application_id IN ${IDS} ORDER BY e.application_id, e.id, c.position`,
            )
            .all({ ids: idsOf(p) }) as (Record<string, unknown> & { application_id: number; status: string })[]
        )
          .filter((r) => (r.status === 'submitted' ? opts.evaluationsVisible(r.application_id) : opts.drafts))
          .map(({ application_id: _a, status: _s, ...rest }) => ({ ...rest, level: rest.level ?? 'na' })),
    },
  },
  {
    table: 'interviews',
    // The reason for a cancellation is written to the candidate and may speak of them.
    personal: ['cancel_reason'],
    other: ['uid', 'starts_at', 'ends_at', 'mode', 'location', 'video_url', 'status', 'organizer_name', 'organizer_email', 'created_at', 'updated_at', 'cancelled_at'],
    erase: 'cascade',
    anonymise: run(`UPDATE interviews SET cancel_reason = NULL WHERE application_id IN ${IDS}`),
    access: {
      key: 'interviews',
      fields: [['posting', 'posting'], ['starts_at', 'datetime'], ['duration_minutes', 'number'], ['mode', { code: ['interviews.mode'] }], ['location', 'text'], ['video_url', 'text'], ['status', { code: ['interviews.status'] }], ['cancel_reason', 'long']],
      rows: (db, p) =>
        db
          .prepare(`SELECT ${POSTING}, x.starts_at, x.duration_minutes, x.mode, x.location, x.video_url, x.status, x.cancel_reason FROM interviews x WHERE x.application_id IN ${IDS} ORDER BY x.starts_at`)
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'decisions',
    personal: ['rationale', 'criteria_rationale'],
    other: ['outcome', 'from_stage_name', 'to_stage_name', 'score_snapshot', 'decider_name', 'decided_at'],
    erase: 'cascade',
    // Decision records stay (evidence of a job-related selection), without the person's name:
    // the rationale and its reasons per criterion (JSON text) alike.
    anonymise: (db, p, mode) => {
      const identifiers = identifiersOf(p);
      const params = { ids: idsOf(p), ...identifierParams(identifiers, MARKER[mode]) };
      db.prepare(`UPDATE decisions SET rationale = ${replaceAll('rationale', identifiers)} WHERE application_id IN ${IDS} AND ${mentionsAny('rationale', identifiers)}`).run(params);
      db.prepare(`UPDATE decisions SET criteria_rationale = ${replaceAll('criteria_rationale', identifiers)} WHERE application_id IN ${IDS} AND ${mentionsAny('criteria_rationale', identifiers)}`).run(params);
    },
    access: {
      key: 'decisions',
      fields: [['posting', 'posting'], ['decided_at', 'datetime'], ['outcome', { code: ['evaluation.decision.outcome'] }], ['from_stage_name', 'text'], ['to_stage_name', 'text'], ['rationale', 'long'], ['criteria', 'long'], ['decider_name', 'text']],
      rows: (db, p) =>
        (
          db
            .prepare(`SELECT ${POSTING}, x.decided_at, x.outcome, x.from_stage_name, x.to_stage_name, x.rationale, x.criteria_rationale, x.decider_name FROM decisions x WHERE x.application_id IN ${IDS} ORDER BY x.decided_at`)
            .all({ ids: idsOf(p) }) as (Record<string, unknown> & { criteria_rationale: string })[]
        ).map(({ criteria_rationale, ...rest }) => ({ ...rest, criteria: criteriaText(criteria_rationale) })),
    },
  },
  {
    table: 'application_answers',
    personal: ['value'],
    other: ['created_at'],
    erase: 'cascade',
    // What the person answered about themselves: nothing of it stays.
    anonymise: run(`DELETE FROM application_answers WHERE application_id IN ${IDS}`),
    access: {
      key: 'answers',
      fields: [['posting', 'posting'], ['question', 'text'], ['value', { code: ['questions.answer'] }], ['text', 'long'], ['knocked_out', { code: ['privacy.access.knockedOut'] }]],
      rows: (db, p) =>
        (
          db
            .prepare(
              `SELECT (SELECT json_object('title', title, 'reference', reference) FROM postings WHERE id = q.posting_id) AS posting, q.label AS question, q.kind, x.value, x.knocked_out
               FROM application_answers x JOIN posting_questions q ON q.id = x.question_id
               WHERE x.application_id IN ${IDS} ORDER BY x.application_id, q.position, q.id`,
            )
            .all({ ids: idsOf(p) }) as { posting: string; question: string; kind: string; value: string; knocked_out: number }[]
        ).map((a) => ({ posting: a.posting, question: a.question, value: a.kind === 'yes_no' ? a.value : null, text: a.kind === 'yes_no' ? null : a.value, knocked_out: a.knocked_out })),
    },
  },
  {
    table: 'offers',
    personal: ['decline_text'],
    other: ['start_date', 'contract_type', 'status', 'decline_reason', 'created_at', 'answered_at'],
    erase: 'cascade',
    anonymise: run(`UPDATE offers SET decline_text = NULL WHERE application_id IN ${IDS}`),
    access: {
      key: 'offers',
      fields: [['posting', 'posting'], ['created_at', 'datetime'], ['start_date', 'date'], ['contract_type', 'text'], ['fte_percent', 'number'], ['salary_gross_yearly', 'number'], ['status', { code: ['hiring.status'] }], ['decline_reason', { code: ['hiring.decline'] }], ['decline_text', 'long'], ['answered_at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT ${POSTING}, x.created_at, x.start_date, x.contract_type, x.fte_percent, x.salary_gross_yearly, x.status, x.decline_reason, x.decline_text, x.answered_at
             FROM offers x WHERE x.application_id IN ${IDS} ORDER BY x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  { table: 'retention_anonymisations', personal: [], other: ['reason', 'due_at', 'anonymised_at'], erase: 'cascade', anonymise: 'kept' },
  // Interview scheduling: ids and times only (which slot, that an invitation went, which reminder was sent).
  { table: 'scheduling_invitations', personal: [], other: ['created_at', 'updated_at'], erase: 'cascade', anonymise: 'kept' },
  { table: 'scheduling_bookings', personal: [], other: ['booked_at'], erase: 'cascade', anonymise: 'kept' },
  { table: 'interview_reminders', personal: [], other: ['starts_at', 'sent_at'], erase: 'cascade', anonymise: 'kept' },
  {
    table: 'applications',
    personal: ['message'],
    // locale: the language the candidate applied in, which their mails are written in.
    other: ['status', 'source', 'locale', 'talent_pool_at', 'region_pool_at', 'notified_at', 'withdrawn_at', 'last_contact_at', 'created_at', 'updated_at'],
    erase: run(`DELETE FROM applications WHERE id IN ${IDS}`),
    anonymise: (db, p) => {
      // Each application moves to a fresh anonymous record, so the person's other (running)
      // applications keep theirs; the original record goes below when nothing uses it.
      for (const id of p.applicationIds) {
        const at = new Date().toISOString();
        const anonId = Number(
          db
            .prepare("INSERT INTO candidates (organisation_id, email, first_name, last_name, phone, created_at, updated_at) VALUES (?, ?, '', '', '', ?, ?)")
            .run(p.organisationId, `anonyme-${id}@anonymise.invalid`, at, at).lastInsertRowid,
        );
        db.prepare("UPDATE applications SET candidate_id = ?, message = '', updated_at = ? WHERE id = ?").run(anonId, at, id);
      }
    },
    access: {
      key: 'applications',
      fields: [['posting', 'posting'], ['created_at', 'datetime'], ['status', { code: ['applications.status'] }], ['stage', 'text'], ['message', 'long'], ['source', { code: ['applications.source'] }], ['talent_pool_consent', 'bool'], ['talent_pool_at', 'datetime'], ['region_pool_consent', 'bool'], ['region_pool_at', 'datetime'], ['withdrawn_at', 'datetime'], ['updated_at', 'datetime'], ['locale', { code: ['privacy.access.locale'] }]],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT ${POSTING}, x.created_at, x.status,
                    (SELECT s.name FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE c.application_id = x.id) AS stage,
                    x.message, x.source, x.talent_pool_consent, x.talent_pool_at, x.region_pool_consent, x.region_pool_at, x.withdrawn_at, x.updated_at, x.locale
             FROM applications x WHERE x.id IN ${IDS} ORDER BY x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'candidates',
    personal: ['email', 'first_name', 'last_name', 'phone'],
    other: ['created_at', 'updated_at'],
    // Last: the record goes once no application uses it (another CPTS's keeps it, and its data).
    erase: (db, p) => {
      db.prepare('DELETE FROM candidates WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = candidates.id)').run(JSON.stringify(p.candidateIds));
    },
    anonymise: (db, p) => {
      db.prepare('DELETE FROM candidates WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.candidate_id = candidates.id)').run(JSON.stringify(p.candidateIds));
    },
    access: {
      key: 'identity',
      fields: [['first_name', 'text'], ['last_name', 'text'], ['email', 'text'], ['phone', 'text']],
      rows: (_db, p) => [{ first_name: p.firstName, last_name: p.lastName, email: p.email, phone: p.phone }],
    },
  },
];

/**
 * Removes the person's data from every copy, in one transaction (the caller's, or its own).
 * 'erase' deletes the applications and everything tied to them; 'anonymise' (retention) keeps
 * the stage history, levels and decision records without identity. Returns the stored files to
 * remove once the transaction committed.
 */
export function forgetPerson(db: DB, person: Person, mode: ForgetMode): ForgetResult {
  return db.transaction(() => {
    const out: ForgetResult = { files: [], mailsCancelled: 0, mailsScrubbed: 0, poolIndex: false };
    for (const copy of COPIES) {
      const step = mode === 'erase' ? copy.erase : copy.anonymise;
      if (typeof step === 'function') step(db, person, mode, out);
    }
    return out;
  })();
}

/** The access export's sections: who, the applications, what is tied to them, and last the mails. */
export function accessSections(db: DB, person: Person, opts: AccessOptions) {
  const rank = (key: string) => (key === 'identity' ? 0 : key === 'applications' ? 1 : key === 'mails' ? 3 : 2);
  const sections = COPIES.flatMap((c) => (c.access ? [c.access] : [])).sort((a, b) => rank(a.key) - rank(b.key));
  return sections.map((s) => ({ key: s.key, fields: s.fields, rows: s.rows(db, person, opts) }));
}
