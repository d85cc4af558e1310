import { z } from 'zod';
import { postalCode } from '../../core/validate.js';

export const POSTING_KINDS = ['coordinator', 'case_manager', 'other'] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];
export const CONTRACT_TYPES = ['CDI', 'CDD', 'other'] as const;
export const POSTING_STATUSES = ['draft', 'published', 'closed', 'filled'] as const;
export type PostingStatus = (typeof POSTING_STATUSES)[number];
export const TEMPLATE_KEYS = ['coordinator', 'case_manager'] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];
export const TRANSITIONS = ['publish', 'close', 'fill', 'reopen'] as const;
export type Transition = (typeof TRANSITIONS)[number];
export const NOTIFY_MODES = ['each', 'digest'] as const;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** A whole number typed the French way ("38 000") or not at all. */
const optionalInt = (min: number, max: number, message: string) =>
  z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      return typeof b === 'string' ? b.replace(/[\s\u202f\u00a0]/g, '') : b;
    },
    z
      .string()
      .regex(/^\d{1,9}$/, message)
      .transform(Number)
      .pipe(z.number().int().min(min, message).max(max, message))
      .optional(),
  );

function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
const optionalDate = z.preprocess(blankToUndefined, z.string().refine(isCalendarDate, 'jobs.errors.date').optional());

const text = (max: number, tooLong: string) => z.string().trim().max(max, tooLong).default('');

export const PostingSchema = z
  .object({
    kind: z.enum(POSTING_KINDS, { message: 'errors.choice' }),
    title: z.string({ message: 'errors.required' }).trim().min(1, 'errors.required').max(200, 'jobs.errors.titleTooLong'),
    location: text(200, 'jobs.errors.tooLong200'),
    street_address: text(200, 'jobs.errors.tooLong200'),
    postal_code: postalCode,
    contract_type: z.enum(CONTRACT_TYPES, { message: 'errors.choice' }),
    contract_duration_months: optionalInt(1, 60, 'jobs.errors.duration'),
    contract_details: text(200, 'jobs.errors.tooLong200'),
    working_time_unit: z.enum(['fte', 'hours'], { message: 'errors.choice' }),
    working_time_value: optionalInt(1, 100, 'jobs.errors.workingTime'),
    salary_min: optionalInt(0, 500_000, 'jobs.errors.salary'),
    salary_max: optionalInt(0, 500_000, 'jobs.errors.salary'),
    start_date: optionalDate,
    deadline: optionalDate,
    summary: text(600, 'jobs.errors.summaryTooLong'),
    description_md: text(30_000, 'jobs.errors.descriptionTooLong'),
    contact_name: text(120, 'jobs.errors.tooLong120'),
    contact_email: z
      .string()
      .trim()
      .max(254, 'errors.email')
      .refine((v) => v === '' || z.email().safeParse(v).success, 'errors.email')
      .default(''),
  })
  .superRefine((v, ctx) => {
    if (v.contract_type === 'CDD' && v.contract_duration_months === undefined)
      ctx.addIssue({ code: 'custom', path: ['contract_duration_months'], message: 'jobs.errors.durationRequired' });
    if (v.contract_type === 'other' && !v.contract_details)
      ctx.addIssue({ code: 'custom', path: ['contract_details'], message: 'jobs.errors.contractDetailsRequired' });
    if (v.working_time_unit === 'hours' && v.working_time_value !== undefined && v.working_time_value > 48)
      ctx.addIssue({ code: 'custom', path: ['working_time_value'], message: 'jobs.errors.workingTime' });
    if (v.salary_min !== undefined && v.salary_max !== undefined && v.salary_max < v.salary_min)
      ctx.addIssue({ code: 'custom', path: ['salary_max'], message: 'jobs.errors.salaryOrder' });
  });
export type PostingInput = z.output<typeof PostingSchema>;

export const NewPostingSchema = z
  .object({
    template: z.enum([...TEMPLATE_KEYS, 'blank'], { message: 'jobs.errors.templateRequired' }),
    title: z.string().trim().max(200, 'jobs.errors.titleTooLong').default(''),
  })
  .refine((v) => v.template !== 'blank' || v.title.length > 0, { message: 'jobs.errors.blankTitle', path: ['title'] });

export const TransitionSchema = z.object({ action: z.enum(TRANSITIONS, { message: 'errors.choice' }) });

export const SettingsSchema = z.object({ notify_mode: z.enum(NOTIFY_MODES, { message: 'errors.choice' }) });

/** Days without a reply before an application is listed as waiting (pipeline/waiting.ts). */
export const WaitingDaysSchema = z.object({
  waiting_days: z
    .string({ message: 'waiting.errors.days' })
    .trim()
    .regex(/^\d{1,2}$/, 'waiting.errors.days')
    .transform(Number)
    .pipe(z.number().int().min(1, 'waiting.errors.days').max(90, 'waiting.errors.days')),
});

/** Public board filters: anything unexpected is ignored rather than refused. */
export const BoardQuerySchema = z.object({
  region: z.string().regex(/^[a-z0-9-]{1,80}$/).optional().catch(undefined),
  department: z.string().trim().max(80).optional().catch(undefined),
  kind: z.enum(POSTING_KINDS).optional().catch(undefined),
  contract: z.enum(CONTRACT_TYPES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type BoardQuery = z.output<typeof BoardQuerySchema>;
