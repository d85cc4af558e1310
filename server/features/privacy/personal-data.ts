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
import { escapeHtml } from '../../core/html.js';

/** One person's applications within one CPTS (the link proves the address; never another CPTS's). */
export type Person = {
  organisationId: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  applicationIds: number[];
  candidateIds: number[];
  /** The set covers every application of this person in this CPTS (mails found by address may go). */
  whole: boolean;
};

export type ForgetMode = 'erase' | 'anonymise';

/** What replaces the person in text that stays (a sent mail, a decision record). */
export const MARKER: Record<ForgetMode, string> = { erase: '[effacé]', anonymise: '[anonymisé]' };

/**
 * The applications of one person within one CPTS: by the application's CPTS and the
 * candidate's e-mail, case-insensitively. Valid whether a candidate record is shared between
 * CPTS or belongs to one; the one place that answers "which applications are this person's".
 */
export function applicationsOfPerson(db: DB, organisationId: number, email: string): number[] {
  return db
    .prepare(
      `SELECT a.id FROM applications a JOIN candidates c ON c.id = a.candidate_id
       WHERE a.organisation_id = ? AND lower(c.email) = lower(?)
         AND NOT EXISTS (SELECT 1 FROM retention_anonymisations r WHERE r.application_id = a.id)
       ORDER BY a.id`,
    )
    .pluck()
    .all(organisationId, email) as number[];
}

/** The person behind these applications (all of the same CPTS and e-mail). */
export function personOf(db: DB, organisationId: number, email: string, applicationIds = applicationsOfPerson(db, organisationId, email)): Person | undefined {
  if (applicationIds.length === 0) return undefined;
  const ids = JSON.stringify(applicationIds);
  const who = db
    .prepare(
      `SELECT c.email, c.first_name, c.last_name, c.phone FROM applications a JOIN candidates c ON c.id = a.candidate_id
       WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.updated_at DESC LIMIT 1`,
    )
    .get(ids) as { email: string; first_name: string; last_name: string; phone: string } | undefined;
  if (!who) return undefined;
  const candidateIds = db.prepare('SELECT DISTINCT candidate_id FROM applications WHERE id IN (SELECT value FROM json_each(?))').pluck().all(ids) as number[];
  const all = applicationsOfPerson(db, organisationId, email);
  return {
    organisationId,
    email: who.email,
    firstName: who.first_name,
    lastName: who.last_name,
    phone: who.phone,
    applicationIds,
    candidateIds,
    whole: all.every((id) => applicationIds.includes(id)),
  };
}

/**
 * How the person is written in text, longest first so a full name goes before its parts: the
 * e-mail (as given and lower-case), the name both ways, the phone, each name alone (from three
 * characters: shorter ones would cut through other words). Each also HTML- and JSON-escaped.
 */
export function identifiersOf(p: Pick<Person, 'email' | 'firstName' | 'lastName' | 'phone'>): string[] {
  const raw = [
    p.email,
    p.email.toLowerCase(),
    `${p.firstName} ${p.lastName}`,
    `${p.lastName} ${p.firstName}`,
    p.phone,
    p.phone.replace(/\s+/g, ''),
    p.lastName,
    p.firstName,
  ]
    .map((s) => s.trim())
    .filter((s) => s.length >= 3);
  const forms = raw.flatMap((s) => [s, escapeHtml(s), JSON.stringify(s).slice(1, -1)]);
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** The full name both ways, as written in text and in HTML. */
function fullNames(p: Pick<Person, 'firstName' | 'lastName'>): string[] {
  if (!p.firstName.trim() || !p.lastName.trim()) return [];
  return [...new Set([`${p.firstName} ${p.lastName}`, `${p.lastName} ${p.firstName}`].flatMap((s) => [s, escapeHtml(s)]))];
}

/** `replace()` of every identifier in a column, as SQL, with its parameters. */
function replaceAll(column: string, identifiers: string[]): string {
  return identifiers.reduce((expr, _id, i) => `replace(${expr}, @i${i}, @marker)`, column);
}
function identifierParams(identifiers: string[], marker: string): Record<string, string> {
  return Object.fromEntries([...identifiers.map((id, i) => [`i${i}`, id]), ['marker', marker]]);
}
function mentionsAny(column: string, identifiers: string[]): string {
  return identifiers.length ? `(${identifiers.map((_id, i) => `instr(${column}, @i${i}) > 0`).join(' OR ')})` : '0';
}

export type ForgetResult = { files: string[]; mailsCancelled: number; mailsScrubbed: number };
type Step = (db: DB, p: Person, mode: ForgetMode, out: ForgetResult) => void;

/** A value shown in the access export, and how to read it. */
export type FieldKind = 'text' | 'long' | 'datetime' | 'date' | 'bool' | 'number' | 'bytes' | { code: string[] };
export type AccessSection = { key: string; fields: [string, FieldKind][]; rows: (db: DB, p: Person, opts: AccessOptions) => Record<string, unknown>[] };
export type AccessOptions = {
  /** Submitted evaluations of this application may be shown (the independence rule, for staff). */
  evaluationsVisible: (applicationId: number) => boolean;
  /** Drafts are the panel's work in progress: shown to the person themself only. */
  drafts: boolean;
};

type Copy = {
  table: string;
  /** Text columns that may hold the person's data. */
  personal: string[];
  /** The table's other text columns, which do not (stage names, codes, dates, staff names). */
  other: string[];
  /** 'cascade': the rows go with the application through ON DELETE CASCADE (checked by the test). */
  erase: Step | 'cascade';
  /** 'kept': what stays holds nothing personal once the other steps ran. */
  anonymise: Step | 'kept';
  access?: AccessSection;
};

const IDS = '(SELECT value FROM json_each(@ids))';
const idsOf = (p: Person) => JSON.stringify(p.applicationIds);
const POSTING = '(SELECT title FROM postings WHERE id = x.posting_id) AS posting';

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
      fields: [['posting', 'text'], ['original_name', 'text'], ['kind', { code: ['applications.kind'] }], ['file_type', 'text'], ['size_bytes', 'bytes'], ['created_at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT p.title FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting,
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
      fields: [['posting', 'text'], ['action', { code: ['privacy.access.event'] }], ['at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT p.title FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting, x.action, x.at
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
      fields: [['posting', 'text'], ['created_at', 'datetime'], ['from_name', 'text'], ['to_name', 'text'], ['reason', { code: ['pipeline.reject.reasons', 'privacy.access.moveReason'] }], ['comment', 'long'], ['actor_name', 'text']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT p.title FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting,
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
      fields: [['posting', 'text'], ['created_at', 'datetime'], ['author_name', 'text'], ['body', 'long']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT (SELECT p.title FROM applications a JOIN postings p ON p.id = a.posting_id WHERE a.id = x.application_id) AS posting, x.created_at, x.author_name, x.body
             FROM pipeline_notes x WHERE x.application_id IN ${IDS} ORDER BY x.created_at, x.id`,
          )
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'pipeline_mails',
    personal: ['subject'],
    other: ['template_key', 'actor_name', 'created_at'],
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
      fields: [['posting', 'text'], ['panelist_name', 'text'], ['version', 'number'], ['status', { code: ['privacy.access.evaluationStatus'] }], ['recommendation', { code: ['evaluation.recommendation'] }], ['summary', 'long'], ['amendment_reason', 'long'], ['submitted_at', 'datetime']],
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
      fields: [['posting', 'text'], ['panelist_name', 'text'], ['version', 'number'], ['criterion', 'text'], ['level', { code: ['evaluation.level'] }], ['comment', 'long']],
      rows: (db, p, opts) =>
        (
          db
            .prepare(
              `SELECT e.application_id, e.status, (SELECT title FROM postings WHERE id = e.posting_id) AS posting, e.panelist_name, e.version,
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
    personal: [],
    other: ['uid', 'starts_at', 'ends_at', 'mode', 'location', 'video_url', 'status', 'organizer_name', 'organizer_email', 'created_at', 'updated_at', 'cancelled_at'],
    erase: 'cascade',
    anonymise: 'kept',
    access: {
      key: 'interviews',
      fields: [['posting', 'text'], ['starts_at', 'datetime'], ['duration_minutes', 'number'], ['mode', { code: ['interviews.mode'] }], ['location', 'text'], ['video_url', 'text'], ['status', { code: ['interviews.status'] }]],
      rows: (db, p) =>
        db
          .prepare(`SELECT ${POSTING}, x.starts_at, x.duration_minutes, x.mode, x.location, x.video_url, x.status FROM interviews x WHERE x.application_id IN ${IDS} ORDER BY x.starts_at`)
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
    },
  },
  {
    table: 'decisions',
    personal: ['rationale'],
    other: ['outcome', 'from_stage_name', 'to_stage_name', 'score_snapshot', 'decider_name', 'decided_at'],
    erase: 'cascade',
    // Decision records stay (evidence of a job-related selection), without the person's name.
    anonymise: (db, p, mode) => {
      const identifiers = identifiersOf(p);
      db.prepare(`UPDATE decisions SET rationale = ${replaceAll('rationale', identifiers)} WHERE application_id IN ${IDS} AND ${mentionsAny('rationale', identifiers)}`).run({
        ids: idsOf(p),
        ...identifierParams(identifiers, MARKER[mode]),
      });
    },
    access: {
      key: 'decisions',
      fields: [['posting', 'text'], ['decided_at', 'datetime'], ['outcome', { code: ['evaluation.decision.outcome'] }], ['from_stage_name', 'text'], ['to_stage_name', 'text'], ['rationale', 'long'], ['decider_name', 'text']],
      rows: (db, p) =>
        db
          .prepare(`SELECT ${POSTING}, x.decided_at, x.outcome, x.from_stage_name, x.to_stage_name, x.rationale, x.decider_name FROM decisions x WHERE x.application_id IN ${IDS} ORDER BY x.decided_at`)
          .all({ ids: idsOf(p) }) as Record<string, unknown>[],
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
      fields: [['posting', 'text'], ['created_at', 'datetime'], ['start_date', 'date'], ['contract_type', 'text'], ['fte_percent', 'number'], ['salary_gross_yearly', 'number'], ['status', { code: ['hiring.status'] }], ['decline_reason', { code: ['hiring.decline'] }], ['decline_text', 'long'], ['answered_at', 'datetime']],
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
  {
    table: 'applications',
    personal: ['message'],
    other: ['status', 'source', 'talent_pool_at', 'notified_at', 'withdrawn_at', 'last_contact_at', 'created_at', 'updated_at'],
    erase: run(`DELETE FROM applications WHERE id IN ${IDS}`),
    anonymise: (db, p) => {
      // Each application moves to a fresh anonymous record, so the person's other (running)
      // applications keep theirs; the original record goes below when nothing uses it.
      for (const id of p.applicationIds) {
        const at = new Date().toISOString();
        const anonId = Number(
          db.prepare("INSERT INTO candidates (email, first_name, last_name, phone, created_at, updated_at) VALUES (?, '', '', '', ?, ?)").run(`anonyme-${id}@anonymise.invalid`, at, at).lastInsertRowid,
        );
        db.prepare("UPDATE applications SET candidate_id = ?, message = '', updated_at = ? WHERE id = ?").run(anonId, at, id);
      }
    },
    access: {
      key: 'applications',
      fields: [['posting', 'text'], ['created_at', 'datetime'], ['status', { code: ['applications.status'] }], ['stage', 'text'], ['message', 'long'], ['source', { code: ['applications.source'] }], ['talent_pool_consent', 'bool'], ['talent_pool_at', 'datetime'], ['withdrawn_at', 'datetime'], ['updated_at', 'datetime']],
      rows: (db, p) =>
        db
          .prepare(
            `SELECT ${POSTING}, x.created_at, x.status,
                    (SELECT s.name FROM pipeline_cards c JOIN pipeline_stages s ON s.id = c.stage_id WHERE c.application_id = x.id) AS stage,
                    x.message, x.source, x.talent_pool_consent, x.talent_pool_at, x.withdrawn_at, x.updated_at
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
 * Tables whose text columns hold no candidate's data, and why. Staff data (accounts, roles, the
 * network directory, onboarding) is personal data too, of staff: it lives as long as the account
 * or the entry and is described in docs/data-protection.md.
 */
export const UNRELATED: Record<string, { columns: string[]; why: string }> = {
  regions: { columns: ['name', 'slug', 'created_at'], why: 'reference data' },
  organisations: { columns: ['name', 'slug', 'department', 'territory', 'presentation', 'email', 'created_at', 'updated_at'], why: 'the CPTS itself and its contact address' },
  users: { columns: ['email', 'name', 'password_hash', 'locale', 'disabled_at', 'created_at', 'updated_at'], why: 'staff accounts (a hired person’s account is theirs as an employee)' },
  memberships: { columns: ['role', 'title', 'created_at'], why: 'staff roles' },
  invitations: { columns: ['token_hash', 'email', 'name', 'role', 'title', 'expires_at', 'accepted_at', 'revoked_at', 'created_at'], why: 'invitations of staff and panel members' },
  password_resets: { columns: ['token_hash', 'expires_at', 'used_at', 'created_at'], why: 'staff password resets' },
  job_leases: { columns: ['name', 'holder', 'lease_until', 'last_run_at'], why: 'background job bookkeeping' },
  schema_migrations: { columns: ['name', 'applied_at'], why: 'schema bookkeeping' },
  postings: {
    columns: ['slug', 'kind', 'template_key', 'title', 'location', 'contract_type', 'contract_details', 'start_date', 'deadline', 'summary', 'description_md', 'contact_name', 'contact_email', 'status', 'published_at', 'closed_at', 'created_at', 'updated_at'],
    why: 'job postings and their published contact',
  },
  posting_history: { columns: ['actor_label', 'action', 'changes', 'at'], why: 'edits of postings by staff' },
  recruitment_settings: { columns: ['notify_mode', 'updated_at'], why: 'settings' },
  application_digests: { columns: ['day', 'sent_at'], why: 'which day a digest went' },
  onboarding_templates: { columns: ['kind', 'reference_key', 'name', 'phases', 'created_at', 'updated_at'], why: 'onboarding templates' },
  onboarding_template_steps: { columns: ['step_key', 'phase', 'title', 'description', 'owner_role', 'resources', 'recurring_label', 'tag'], why: 'onboarding templates' },
  onboarding_plans: { columns: ['kind', 'template_name', 'phases', 'start_date', 'created_at'], why: 'onboarding of staff (hired people)' },
  onboarding_plan_steps: {
    columns: ['step_key', 'phase', 'title', 'description', 'owner_role', 'due_date', 'resources', 'recurring_label', 'tag', 'status', 'status_reason', 'status_at'],
    why: 'onboarding of staff (hired people)',
  },
  onboarding_step_history: { columns: ['status', 'reason', 'at'], why: 'onboarding of staff' },
  onboarding_step_comments: { columns: ['body', 'created_at'], why: 'onboarding of staff' },
  onboarding_workload_reviews: { columns: ['decision', 'notes', 'decided_at'], why: 'onboarding of staff' },
  onboarding_digests: { columns: ['day', 'sent_at'], why: 'which day a reminder went' },
  network_correspondents: { columns: ['department', 'institution', 'name', 'role', 'email', 'phone', 'created_at', 'updated_at'], why: 'the regional directory of ARS, CPAM and DAC correspondents' },
  network_mentor_pairings: { columns: ['created_at', 'ended_at'], why: 'peer mentoring between staff' },
  network_events: { columns: ['kind', 'title', 'starts_at', 'place', 'agenda', 'uid', 'created_at', 'updated_at'], why: 'regional network meetings' },
  network_event_rsvps: { columns: ['response', 'updated_at'], why: 'staff answers to network meetings' },
  pipeline_stages: { columns: ['kind', 'stage_key', 'name', 'created_at', 'updated_at'], why: 'a posting’s stages' },
  pipeline_settings: { columns: ['updated_at'], why: 'settings' },
  candidate_mail_templates: { columns: ['template_key', 'subject', 'body', 'updated_at'], why: 'templates with placeholders, no person' },
  scorecards: { columns: ['template_key', 'name', 'locked_at', 'created_at', 'updated_at'], why: 'a posting’s scorecard' },
  scorecard_criteria: {
    columns: ['criterion_key', 'group_key', 'label', 'description', 'level_1', 'level_2', 'level_3', 'level_4', 'questions', 'created_at', 'updated_at'],
    why: 'a posting’s criteria',
  },
  panels: { columns: ['updated_at'], why: 'panel settings' },
  panel_members: { columns: ['kind', 'created_at'], why: 'who sits on a panel (staff)' },
  public_revision: { columns: [], why: 'cache counter' },
  posting_revisions: { columns: [], why: 'cache counter' },
};

/**
 * Removes the person's data from every copy, in one transaction (the caller's, or its own).
 * 'erase' deletes the applications and everything tied to them; 'anonymise' (retention) keeps
 * the stage history, levels and decision records without identity. Returns the stored files to
 * remove once the transaction committed.
 */
export function forgetPerson(db: DB, person: Person, mode: ForgetMode): ForgetResult {
  return db.transaction(() => {
    const out: ForgetResult = { files: [], mailsCancelled: 0, mailsScrubbed: 0 };
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
