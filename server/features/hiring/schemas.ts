import { z } from 'zod';

export const DECLINE_REASONS = ['salary', 'contract', 'other_offer', 'personal', 'no_answer', 'other'] as const;

const int = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d[\d\s\u202f\u00a0]*$/, message)
    .transform((v) => Number(v.replace(/[\s\u202f\u00a0]/g, '')))
    .pipe(z.number().int().min(min, message).max(max, message));

export const OfferSchema = z
  .object({
    start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'hiring.errors.date'),
    contract_type: z.enum(['CDI', 'CDD', 'other'], { message: 'errors.choice' }),
    contract_duration_months: z.string().trim().optional().default(''),
    fte_percent: int(10, 100, 'hiring.errors.fte'),
    salary_gross_yearly: int(10_000, 200_000, 'hiring.errors.salary'),
  })
  // Checked even when other fields are wrong (`when`), so every message shows at once.
  .refine((v) => v.contract_type !== 'CDD' || (/^\d{1,2}$/.test(v.contract_duration_months) && Number(v.contract_duration_months) >= 1 && Number(v.contract_duration_months) <= 36), {
    path: ['contract_duration_months'],
    message: 'hiring.errors.duration',
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .transform((v) => ({ ...v, contract_duration_months: v.contract_type === 'CDD' ? Number(v.contract_duration_months) : null }));
export type OfferInput = z.output<typeof OfferSchema>;

export const OutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('accepted'),
    offer_id: z.coerce.number().int().positive(),
    // Empty: the offer's decision gives it (nobody writes it twice); written: at least 30 characters.
    rationale: z
      .string()
      .trim()
      .max(5000, 'errors.tooLong')
      .refine((v) => v === '' || v.length >= 30, 'evaluation.errors.rationaleShort')
      .default(''),
    keep_open: z.literal('1').optional(),
  }),
  z.object({
    outcome: z.literal('declined'),
    offer_id: z.coerce.number().int().positive(),
    decline_reason: z.enum(DECLINE_REASONS, { message: 'hiring.errors.declineReason' }),
    decline_text: z.string().trim().max(2000, 'errors.tooLong').default(''),
  }),
], { error: () => 'errors.choice' });
export type OutcomeInput = z.output<typeof OutcomeSchema>;

export const CloseSchema = z.object({
  ids: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.coerce.number().int().positive()).max(2000)),
  send_mail: z.literal('1').optional(),
});
