import { z } from 'zod';
import type { QuestionKind, QuestionRow } from './queries.js';

export const QUESTION_KINDS = ['yes_no', 'short_text', 'choice'] as const;
/** Enough for what a post needs; the apply form stays short (and within multer's field cap). */
export const MAX_QUESTIONS = 10;
export const MAX_OPTIONS = 12;
export const SHORT_TEXT_MAX = 300;

const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.includes('1') : v === '1'));

/** The bureau's question form: one form for the three kinds (pages work without JavaScript). */
export const QuestionSchema = z
  .object({
    kind: z.enum(QUESTION_KINDS, { message: 'questions.errors.kind' }),
    label: z.string({ message: 'questions.errors.labelRequired' }).trim().min(1, 'questions.errors.labelRequired').max(200, 'questions.errors.labelTooLong'),
    hint: z.string().trim().max(300, 'questions.errors.hintTooLong').default(''),
    required: checkbox,
    options: z
      .string()
      .max(2_000, 'questions.errors.optionsTooLong')
      .default('')
      .transform((v) => [...new Set(v.split(/\r?\n/).map((s) => s.trim()).filter(Boolean))]),
    expected_yes_no: z.enum(['', 'yes', 'no'], { message: 'errors.choice' }).default(''),
    expected_choice: z.string().trim().max(100, 'questions.errors.expectedChoice').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'choice') {
      if (v.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'questions.errors.optionsMin' });
      if (v.options.length > MAX_OPTIONS) ctx.addIssue({ code: 'custom', path: ['options'], message: 'questions.errors.optionsMax' });
      if (v.options.some((o) => o.length > 100)) ctx.addIssue({ code: 'custom', path: ['options'], message: 'questions.errors.optionTooLong' });
      if (v.expected_choice && !v.options.includes(v.expected_choice)) ctx.addIssue({ code: 'custom', path: ['expected_choice'], message: 'questions.errors.expectedChoice' });
    }
    if (v.kind !== 'yes_no' && v.expected_yes_no) ctx.addIssue({ code: 'custom', path: ['expected_yes_no'], message: 'questions.errors.expectedKind' });
    if (v.kind !== 'choice' && v.expected_choice) ctx.addIssue({ code: 'custom', path: ['expected_choice'], message: 'questions.errors.expectedKind' });
  })
  .transform((v) => {
    const expected = v.kind === 'yes_no' ? v.expected_yes_no || null : v.kind === 'choice' ? v.expected_choice || null : null;
    // A knock-out answer only means something when the candidate must give one.
    return { kind: v.kind as QuestionKind, label: v.label, hint: v.hint, required: v.required || expected !== null, options: v.kind === 'choice' ? v.options : [], expected };
  });
export type QuestionInput = z.output<typeof QuestionSchema>;

export const fieldName = (q: { id: number }) => `q_${q.id}`;

export function optionsOf(q: Pick<QuestionRow, 'options'>): string[] {
  try {
    const parsed: unknown = JSON.parse(q.options);
    return Array.isArray(parsed) ? parsed.filter((o): o is string => typeof o === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The apply form's answers for this posting's questions, as a schema over the whole body
 * (fields q_<id>); French messages name the question's field.
 */
export function answersSchema(questions: { id: number; kind: QuestionKind; required: number; options: string[] }[]) {
  const shape: Record<string, z.ZodType<string>> = {};
  for (const q of questions) {
    const blank = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? String(v[0] ?? '') : v);
    let field: z.ZodType<string>;
    if (q.kind === 'short_text') field = z.string({ message: 'errors.choice' }).trim().max(SHORT_TEXT_MAX, 'questions.errors.answerTooLong');
    else {
      const allowed = q.kind === 'yes_no' ? ['yes', 'no'] : q.options;
      field = z.string({ message: 'errors.choice' }).refine((v) => v === '' || allowed.includes(v), 'errors.choice');
    }
    const required = q.required === 1;
    shape[fieldName(q)] = z.preprocess(
      blank,
      field.refine((v) => !required || v !== '', q.kind === 'short_text' ? 'questions.errors.answerRequired' : 'questions.errors.choiceRequired'),
    ) as z.ZodType<string>;
  }
  return z.object(shape);
}
