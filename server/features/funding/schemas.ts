import { z } from 'zod';

/** Bounds of what may be typed; a value outside is refused with a message naming the field. */
export const LIMITS = {
  salary: { min: 10_000, max: 200_000 },
  otherCost: { min: 1, max: 1_000_000 },
  envelope: { min: 1_000, max: 2_000_000 },
  year: { min: 2019, max: 2100 },
} as const;

/**
 * A whole number typed the French way ("38 000", "38 000 €") within bounds. Anything else
 * (a sign, decimals, letters, out of range) gets the field's own message.
 */
const wholeNumber = (min: number, max: number, message: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.replace(/[\s\u202f\u00a0]/g, '').replace(/(€|%)$/, '') : v),
    z
      .string({ message })
      .min(1, message)
      .regex(/^\d{1,9}$/, message)
      .transform(Number)
      .pipe(z.number().int().min(min, message).max(max, message)),
  );

const text = (max: number, required: string, tooLong: string) => z.string({ message: required }).trim().min(1, required).max(max, tooLong);

function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export const sizeField = z.enum(['1', '2', '3', '4'], { message: 'funding.errors.size' }).transform(Number);
export const yearField = wholeNumber(LIMITS.year.min, LIMITS.year.max, 'funding.errors.year');
export const rateField = wholeNumber(0, 100, 'funding.errors.rate');

export const ProfileSchema = z.object({
  aci_size: sizeField,
  aci_start_year: wholeNumber(LIMITS.year.min, LIMITS.year.max, 'funding.errors.startYear'),
  new_post_rate_percent: rateField,
});
export type ProfileInput = z.output<typeof ProfileSchema>;

export const CommitmentSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('post'),
      label: text(120, 'funding.errors.label', 'funding.errors.labelTooLong'),
      gross_salary: wholeNumber(LIMITS.salary.min, LIMITS.salary.max, 'funding.errors.salary'),
      fte_percent: wholeNumber(1, 100, 'funding.errors.fte'),
      employer_rate_percent: rateField,
    }),
    z.object({
      kind: z.literal('other'),
      label: text(120, 'funding.errors.label', 'funding.errors.labelTooLong'),
      amount: wholeNumber(LIMITS.otherCost.min, LIMITS.otherCost.max, 'funding.errors.otherCost'),
    }),
  ],
  { message: 'funding.errors.kind' },
);
export type CommitmentInput = z.output<typeof CommitmentSchema>;

export const EnvelopeSchema = z.object({
  size_class: sizeField,
  year: yearField,
  amount: wholeNumber(LIMITS.envelope.min, LIMITS.envelope.max, 'funding.errors.envelope'),
  source: text(300, 'funding.errors.source', 'funding.errors.sourceTooLong'),
  source_date: z
    .string({ message: 'funding.errors.sourceDate' })
    .trim()
    .refine(isCalendarDate, 'funding.errors.sourceDate'),
});
export type EnvelopeInput = z.output<typeof EnvelopeSchema>;

/** `?taille=2&annee=2027` pre-fills the envelope form; anything else is ignored. */
export const EnvelopeQuerySchema = z.object({
  taille: z.enum(['1', '2', '3', '4']).optional().catch(undefined),
  annee: z
    .string()
    .regex(/^\d{4}$/)
    .optional()
    .catch(undefined),
});

/** `?offre=12` on the printable sheet: the check for that posting instead of the reference post. */
export const SheetQuerySchema = z.object({
  offre: z
    .string()
    .regex(/^\d{1,12}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});

/** `?type=autre` opens the form of another fixed cost instead of a post. */
export const NewCommitmentQuerySchema = z.object({ type: z.enum(['poste', 'autre']).optional().catch(undefined) });
