import { z } from 'zod';

export const RECOMMENDATIONS = ['strong_no', 'no', 'yes', 'strong_yes'] as const;
export const OUTCOMES = ['offer', 'hired', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const id = (message = 'errors.choice') => z.coerce.number({ message }).int(message).positive(message).max(1e12, message);
const text = (max: number, message = 'errors.tooLong') => z.string().trim().max(max, message).default('');
const required = (max: number, message = 'errors.tooLong') => z.string().trim().min(1, 'errors.required').max(max, message);
const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.includes('1') || v.includes('on') : v === '1' || v === 'on'));

export const CriterionSchema = z
  .object({
    group: z.enum(['savoir_etre', 'savoirs', 'savoir_faire'], { message: 'errors.choice' }),
    label: required(120, 'evaluation.errors.labelTooLong'),
    description: text(2000),
    weight: z.coerce.number({ message: 'evaluation.errors.weight' }).int('evaluation.errors.weight').min(1, 'evaluation.errors.weight').max(3, 'evaluation.errors.weight'),
    must_have: checkbox,
    min_level: z
      .union([z.literal(''), z.coerce.number().int().min(1).max(4)], { message: 'evaluation.errors.minLevel' })
      .optional()
      .transform((v) => (v === '' || v === undefined ? null : v)),
    level_1: required(1000),
    level_2: required(1000),
    level_3: required(1000),
    level_4: required(1000),
    questions: text(4000).transform((v) =>
      v
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  })
  .refine((v) => !v.must_have || v.min_level !== null, { message: 'evaluation.errors.minLevelRequired', path: ['min_level'] })
  .refine((v) => v.questions.length <= 10, { message: 'evaluation.errors.tooManyQuestions', path: ['questions'] });
export type CriterionForm = z.output<typeof CriterionSchema>;

export const PanelMemberSchema = z.object({ user_id: id() });
export const PanelStageSchema = z.object({ stage_id: id() });
export const PanelInviteSchema = z.object({
  name: required(120, 'evaluation.errors.nameTooLong'),
  email: z.string().trim().min(1, 'errors.required').max(254, 'errors.email').pipe(z.email('errors.email')),
});

const LEVEL_VALUES = ['1', '2', '3', '4', 'na'];

/**
 * The interview kit form: `rating_<criterionId>` (1-4 or "na" for not assessed),
 * `comment_<criterionId>`, a recommendation and a summary. A field for a criterion that is not
 * in the scorecard, or a level outside 1-4, is refused; submitting needs every criterion
 * answered and a recommendation.
 */
export function evaluationSchema(criterionIds: number[]) {
  const known = new Set(criterionIds);
  return z
    .object({
      intent: z.enum(['save', 'submit'], { message: 'errors.choice' }),
      version: id('errors.choice'),
      recommendation: z.union([z.enum(RECOMMENDATIONS), z.literal('')], { message: 'errors.choice' }).optional().default(''),
      summary: text(5000),
    })
    .catchall(z.unknown())
    .superRefine((v, ctx) => {
      for (const [key, value] of Object.entries(v)) {
        const m = /^(rating|comment)_(.*)$/.exec(key);
        if (!m) continue;
        const cid = /^\d{1,12}$/.test(m[2]) ? Number(m[2]) : NaN;
        if (!known.has(cid)) {
          ctx.addIssue({ code: 'custom', message: 'evaluation.errors.unknownCriterion', path: ['_form'] });
          continue;
        }
        if (typeof value !== 'string') {
          ctx.addIssue({ code: 'custom', message: m[1] === 'rating' ? 'evaluation.errors.level' : 'errors.tooLong', path: [key] });
        } else if (m[1] === 'rating' && value !== '' && !LEVEL_VALUES.includes(value)) {
          ctx.addIssue({ code: 'custom', message: 'evaluation.errors.level', path: [key] });
        } else if (m[1] === 'comment' && value.length > 2000) {
          ctx.addIssue({ code: 'custom', message: 'errors.tooLong', path: [key] });
        }
      }
      if (v.intent === 'submit') {
        for (const cid of criterionIds) {
          const value = v[`rating_${cid}`];
          if (typeof value !== 'string' || value === '') ctx.addIssue({ code: 'custom', message: 'evaluation.errors.ratingMissing', path: [`rating_${cid}`] });
        }
        if (!v.recommendation) ctx.addIssue({ code: 'custom', message: 'evaluation.errors.recommendationRequired', path: ['recommendation'] });
      }
    })
    .transform((v) => ({
      intent: v.intent,
      version: v.version,
      recommendation: v.recommendation === '' ? null : v.recommendation,
      summary: v.summary,
      ratings: criterionIds.map((cid) => {
        const raw = v[`rating_${cid}`];
        const comment = v[`comment_${cid}`];
        return {
          criterionId: cid,
          level: typeof raw === 'string' && /^[1-4]$/.test(raw) ? Number(raw) : null,
          /** a level or "not assessed" was chosen (a draft may leave criteria unanswered) */
          answered: typeof raw === 'string' && raw !== '',
          comment: typeof comment === 'string' ? comment.trim() : '',
        };
      }),
    }));
}
export type EvaluationForm = z.output<ReturnType<typeof evaluationSchema>>;

export const AmendSchema = z.object({ reason: required(1000) });

export const DecisionSchema = z.object({
  outcome: z.enum(OUTCOMES, { message: 'evaluation.errors.outcome' }),
  rationale: z.string().trim().min(30, 'evaluation.errors.rationaleShort').max(5000, 'errors.tooLong'),
  expected_stage_id: id(),
  send_mail: checkbox,
  /** A rejection's mail: now (after its undo window) or once the post is filled (a runner-up). */
  timing: z.enum(['now', 'filled'], { message: 'errors.choice' }).default('now'),
});
export type DecisionForm = z.output<typeof DecisionSchema>;

/**
 * The ranking page's query: `page` (1 when missing or not a positive whole number; a page past
 * the last one is a 404) and `tout=1` for every row on one page (the printable version).
 */
export const RankingQuerySchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  tout: z
    .unknown()
    .optional()
    .transform((v) => v === '1'),
});
