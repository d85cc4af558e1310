import type { DB } from '../../core/db.js';

export type QuestionKind = 'yes_no' | 'short_text' | 'choice';

export type QuestionRow = {
  id: number;
  organisation_id: number;
  posting_id: number;
  position: number;
  kind: QuestionKind;
  label: string;
  hint: string;
  required: number;
  options: string;
  expected: string | null;
  created_at: string;
  updated_at: string;
  answer_count: number;
};

const COLUMNS = `q.id, q.organisation_id, q.posting_id, q.position, q.kind, q.label, q.hint, q.required, q.options, q.expected, q.created_at, q.updated_at,
  (SELECT COUNT(*) FROM application_answers aa WHERE aa.question_id = q.id) AS answer_count`;

export const questionsOfPosting = (db: DB, postingId: number) =>
  db.prepare(`SELECT ${COLUMNS} FROM posting_questions q WHERE q.posting_id = ? ORDER BY q.position, q.id`).all(postingId) as QuestionRow[];

export const questionById = (db: DB, postingId: number, id: number) =>
  db.prepare(`SELECT ${COLUMNS} FROM posting_questions q WHERE q.posting_id = ? AND q.id = ?`).get(postingId, id) as QuestionRow | undefined;

export const applicationCountOfPosting = (db: DB, postingId: number) =>
  (db.prepare('SELECT COUNT(*) AS n FROM applications WHERE posting_id = ?').get(postingId) as { n: number }).n;

export type QuestionFields = { kind: QuestionKind; label: string; hint: string; required: boolean; options: string[]; expected: string | null };

export const insertQuestion = (db: DB, q: QuestionFields & { organisationId: number; postingId: number }, now: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO posting_questions (organisation_id, posting_id, position, kind, label, hint, required, options, expected, created_at, updated_at)
         VALUES (@org, @posting, (SELECT COALESCE(MAX(position), 0) + 1 FROM posting_questions WHERE posting_id = @posting), @kind, @label, @hint, @required, @options, @expected, @now, @now)`,
      )
      .run({ org: q.organisationId, posting: q.postingId, kind: q.kind, label: q.label, hint: q.hint, required: q.required ? 1 : 0, options: JSON.stringify(q.options), expected: q.expected, now })
      .lastInsertRowid,
  );

export const updateQuestion = (db: DB, id: number, q: QuestionFields, now: string) =>
  db
    .prepare(
      `UPDATE posting_questions SET kind = @kind, label = @label, hint = @hint, required = @required, options = @options, expected = @expected, updated_at = @now
       WHERE id = @id AND NOT EXISTS (SELECT 1 FROM application_answers WHERE question_id = @id)`,
    )
    .run({ id, kind: q.kind, label: q.label, hint: q.hint, required: q.required ? 1 : 0, options: JSON.stringify(q.options), expected: q.expected, now }).changes;

export const deleteQuestion = (db: DB, id: number) =>
  db.prepare('DELETE FROM posting_questions WHERE id = ? AND NOT EXISTS (SELECT 1 FROM application_answers WHERE question_id = ?)').run(id, id).changes;

export const insertAnswer = (db: DB, a: { applicationId: number; questionId: number; organisationId: number; value: string; knockedOut: boolean }, now: string) =>
  db
    .prepare('INSERT INTO application_answers (application_id, question_id, organisation_id, value, knocked_out, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(a.applicationId, a.questionId, a.organisationId, a.value, a.knockedOut ? 1 : 0, now);

export type AnswerRow = {
  application_id: number;
  question_id: number;
  position: number;
  kind: QuestionKind;
  label: string;
  expected: string | null;
  value: string;
  knocked_out: number;
};

/** Answers of many applications at once (one statement per 500 ids: SQLite's variable limit). */
export function answersOf(db: DB, applicationIds: number[]): AnswerRow[] {
  const out: AnswerRow[] = [];
  for (let i = 0; i < applicationIds.length; i += 500) {
    const chunk = applicationIds.slice(i, i + 500);
    out.push(
      ...(db
        .prepare(
          `SELECT aa.application_id, aa.question_id, q.position, q.kind, q.label, q.expected, aa.value, aa.knocked_out
           FROM application_answers aa JOIN posting_questions q ON q.id = aa.question_id
           WHERE aa.application_id IN (${chunk.map(() => '?').join(',')})
           ORDER BY aa.application_id, q.position, q.id`,
        )
        .all(...chunk) as AnswerRow[]),
    );
  }
  return out;
}

/** The posting's applications, oldest first, for the answers export. */
export const applicationsOfPosting = (db: DB, postingId: number) =>
  db.prepare('SELECT a.id, a.created_at FROM applications a WHERE a.posting_id = ? ORDER BY a.created_at, a.id').all(postingId) as { id: number; created_at: string }[];
