/**
 * Custom questions of a posting and the answers candidates give on the apply form.
 * - The bureau edits them on the posting. Once a posting has received an application its
 *   questions stay as they were (what earlier candidates answered keeps its meaning); new
 *   questions may still be added, optional and without a knock-out answer, since a candidate
 *   must be told beforehand how they are assessed (Code du travail L1221-8, L1221-9).
 * - A knock-out answer is stated on the public posting; a different answer never rejects by
 *   itself: it flags the application for the bureau.
 * - Answers go with the application: the access export, erasure and retention find them in
 *   privacy/personal-data.ts (table application_answers).
 */
import { audit } from '../../core/audit.js';
import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Actor } from '../../core/policy.js';
import { fieldErrors } from '../../core/validate.js';
import { managedPosting, warningsOf } from '../jobs/service.js';
import * as q from './queries.js';
import { answersSchema, fieldName, MAX_QUESTIONS, optionsOf, type QuestionInput } from './schemas.js';

type Form = { view?: string; locals?: Record<string, unknown> };

export type Question = Omit<q.QuestionRow, 'options'> & { options: string[]; field: string };

const present = (row: q.QuestionRow): Question => ({ ...row, options: optionsOf(row), field: fieldName(row) });

/** The questions a posting asks, in order, as the apply form and the posting page show them. */
export function questionsOf(db: DB, postingId: number): Question[] {
  return q.questionsOfPosting(db, postingId).map(present);
}

/** Existing questions are fixed once an application has arrived (see the module comment). */
export function questionsLocked(db: DB, postingId: number): boolean {
  return q.applicationCountOfPosting(db, postingId) > 0;
}

export function questionsPage(db: DB, actor: Actor, postingId: number) {
  const { posting, org } = managedPosting(db, actor, postingId);
  const questions = questionsOf(db, posting.id);
  return { posting, org, questions, locked: questionsLocked(db, posting.id), full: questions.length >= MAX_QUESTIONS };
}

/** L1221-6: a question collects only what the post needs; the posting's word list names likely problems. */
function refuseProtectedGrounds(input: QuestionInput, form: Form) {
  const warnings = warningsOf({ title: '', summary: input.label, description_md: [input.hint, ...input.options].join('\n'), location: '' });
  if (warnings.length) throw new Invalid({ label: 'questions.errors.protectedGround' }, form.view, { ...form.locals, groundWarnings: warnings });
}

export function addQuestion(db: DB, actor: Actor, postingId: number, input: QuestionInput, form: Form, now = new Date()): number {
  return db.transaction(() => {
    const { posting } = managedPosting(db, actor, postingId);
    if (q.questionsOfPosting(db, posting.id).length >= MAX_QUESTIONS) throw new Invalid({ _form: 'questions.errors.tooMany' }, form.view, form.locals);
    if (questionsLocked(db, posting.id) && input.required) throw new Invalid({ required: input.expected ? 'questions.errors.lockedKnockout' : 'questions.errors.lockedRequired' }, form.view, form.locals);
    refuseProtectedGrounds(input, form);
    const at = nowIso(now);
    const id = q.insertQuestion(db, { ...input, organisationId: posting.organisation_id, postingId: posting.id }, at);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'posting.question_added', organisationId: posting.organisation_id, targetType: 'posting', targetId: posting.id, details: { question: id } });
    return id;
  })();
}

export function editableQuestion(db: DB, actor: Actor, postingId: number, questionId: number) {
  const page = questionsPage(db, actor, postingId);
  const question = page.questions.find((x) => x.id === questionId);
  if (!question) throw new NotFound();
  return { ...page, question };
}

export function updateQuestion(db: DB, actor: Actor, postingId: number, questionId: number, input: QuestionInput, form: Form, now = new Date()) {
  db.transaction(() => {
    const { posting } = editableQuestion(db, actor, postingId, questionId);
    if (questionsLocked(db, posting.id)) throw new Conflict('questions locked');
    refuseProtectedGrounds(input, form);
    if (q.updateQuestion(db, questionId, input, nowIso(now)) !== 1) throw new Conflict('question answered');
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'posting.question_updated', organisationId: posting.organisation_id, targetType: 'posting', targetId: posting.id, details: { question: questionId } });
  })();
}

export function deleteQuestion(db: DB, actor: Actor, postingId: number, questionId: number) {
  db.transaction(() => {
    const { posting } = editableQuestion(db, actor, postingId, questionId);
    if (questionsLocked(db, posting.id)) throw new Conflict('questions locked');
    if (q.deleteQuestion(db, questionId) !== 1) throw new Conflict('question answered');
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'posting.question_deleted', organisationId: posting.organisation_id, targetType: 'posting', targetId: posting.id, details: { question: questionId } });
  })();
}

// ---- answers ------------------------------------------------------------------------------------

export type ParsedAnswers = { errors: Record<string, string>; values: Record<string, string> };

/** The apply form's answers: field errors (French message keys) or the values by field name. */
export function parseAnswers(questions: Question[], body: unknown): ParsedAnswers {
  const parsed = answersSchema(questions).safeParse(body ?? {});
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values: {} };
  return { errors: {}, values: parsed.data as Record<string, string> };
}

export const isKnockedOut = (question: Pick<Question, 'expected'>, value: string) => question.expected !== null && value !== question.expected;

/** Called inside the apply transaction: one row per answered question. */
export function saveAnswers(db: DB, application: { id: number; organisation_id: number }, questions: Question[], values: Record<string, string>, at: string): { knockedOut: number } {
  let knockedOut = 0;
  for (const question of questions) {
    const value = values[question.field] ?? '';
    if (value === '') continue;
    const out = isKnockedOut(question, value);
    if (out) knockedOut++;
    q.insertAnswer(db, { applicationId: application.id, questionId: question.id, organisationId: application.organisation_id, value, knockedOut: out }, at);
  }
  return { knockedOut };
}

export type Answer = { question_id: number; kind: q.QuestionKind; label: string; expected: string | null; value: string; knocked_out: number };

/** The answers of each application, in the posting's question order (for the screening views). */
export function answersOfApplications(db: DB, applicationIds: number[]): Map<number, Answer[]> {
  const map = new Map<number, Answer[]>(applicationIds.map((id) => [id, []]));
  for (const row of q.answersOf(db, applicationIds)) {
    map.get(row.application_id)?.push({ question_id: row.question_id, kind: row.kind, label: row.label, expected: row.expected, value: row.value, knocked_out: row.knocked_out });
  }
  return map;
}

/**
 * Answers as someone who screens may read them: free text passes through the anonymity
 * rule's redaction (pipeline/anonymity.ts `presentIdentity(...).redact`); choices are the
 * posting's own words.
 */
export function redactAnswers(answers: Answer[], redact: (text: string) => string): Answer[] {
  return answers.map((a) => (a.kind === 'short_text' ? { ...a, value: redact(a.value) } : a));
}

/** An answer as a page, a CSV cell or an export says it. */
export function answerText(t: (key: string) => string, a: Pick<Answer, 'kind' | 'value'>): string {
  return a.kind === 'yes_no' ? t(`questions.answer.${a.value}`) : a.value;
}
