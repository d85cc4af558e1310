import { z } from 'zod';
import { webUrl } from '../../core/validate.js';
import { isCalendarDate } from './dates.js';
import { OWNER_ROLES, PLAN_KINDS, STEP_TAGS } from './reference.js';

const text = (max: number) => z.string().trim().min(1, 'errors.required').max(max, 'errors.tooLong');
const optionalText = (max: number) => z.string().trim().max(max, 'errors.tooLong').default('');
const id = (message = 'errors.choice') =>
  z
    .string({ message })
    .trim()
    .regex(/^\d{1,12}$/, message)
    .transform(Number);

export const calendarDate = z
  .string({ message: 'errors.required' })
  .trim()
  .min(1, 'errors.required')
  .refine(isCalendarDate, 'onboarding.errors.date');

export const StartPlanSchema = z.object({
  user_id: id('onboarding.errors.hire'),
  template_id: id('errors.choice'),
  start_date: calendarDate,
});

const integer = z
  .string({ message: 'errors.required' })
  .trim()
  .min(1, 'errors.required')
  .regex(/^-?\d{1,4}$/, 'onboarding.errors.offset')
  .transform(Number);

/** One "label | https://..." per line. */
const resources = z
  .string()
  .max(4000, 'errors.tooLong')
  .default('')
  .transform((v, ctx) => {
    const out: { label: string; url: string }[] = [];
    for (const line of v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const [label, url] = line.includes('|') ? line.split('|').map((s) => s.trim()) : [line, line];
      if (!url || !webUrl(url) || !label) {
        ctx.addIssue({ code: 'custom', message: 'onboarding.errors.resource' });
        return z.NEVER;
      }
      out.push({ label, url });
    }
    return out;
  });

export const TemplateStepSchema = z
  .object({
    phase: z.string({ message: 'errors.choice' }).trim().min(1, 'errors.choice').max(40, 'errors.choice'),
    title: text(200),
    description: optionalText(4000),
    owner_role: z.enum(OWNER_ROLES, { message: 'errors.choice' }),
    due_offset_days: integer.pipe(z.number().min(-365, 'onboarding.errors.offset').max(730, 'onboarding.errors.offset')),
    resources,
    recurring_every_days: z
      .string()
      .trim()
      .default('')
      .refine((v) => v === '' || /^\d{1,3}$/.test(v), 'onboarding.errors.every')
      .transform((v) => (v === '' ? null : Number(v)))
      .refine((v) => v === null || v > 0, 'onboarding.errors.every'),
    recurring_label: optionalText(120),
    tag: z
      .enum(['', ...STEP_TAGS], { message: 'errors.choice' })
      .default('')
      .transform((v) => (v === '' ? null : v)),
  })
  // Only the "before arrival" phase has steps due before the start date.
  .refine((v) => v.due_offset_days >= 0 || v.phase === 'before', { message: 'onboarding.errors.negativeOffset', path: ['due_offset_days'] })
  .refine((v) => v.recurring_every_days === null || v.recurring_label !== '', { message: 'onboarding.errors.recurringLabel', path: ['recurring_label'] });
export type TemplateStepInput = z.output<typeof TemplateStepSchema>;

export const CopyTemplateSchema = z.object({ template_id: id() });
export const TemplateNameSchema = z.object({ name: text(160) });

export const StepStatusSchema = z
  .object({
    status: z.enum(['todo', 'done', 'not_applicable'], { message: 'errors.choice' }),
    reason: optionalText(1000),
  })
  .refine((v) => v.status !== 'not_applicable' || v.reason !== '', { message: 'onboarding.errors.reason', path: ['reason'] });

export const CommentSchema = z.object({ body: text(2000) });

export const WorkloadReviewSchema = z.object({
  decision: z.enum(['keep', 'adjust', 'open_case_manager'], { message: 'errors.choice' }),
  notes: optionalText(4000),
});

export const KindSchema = z.enum(PLAN_KINDS);

export const MoveStepSchema = z.object({ direction: z.enum(['up', 'down'], { message: 'errors.choice' }) });

export const PlanFilterSchema = z.object({ filtre: z.enum(['all', 'mine', 'overdue', 'todo']).catch('all').default('all') });

export const AssignSchema = z.object({
  owner_user_id: z
    .string({ message: 'errors.choice' })
    .trim()
    .refine((v) => v === '' || /^\d{1,12}$/.test(v), 'errors.choice')
    .transform((v) => (v === '' ? null : Number(v))),
});

export const DigestPreferenceSchema = z.object({ digest: z.enum(['daily', 'weekly', 'off'], { message: 'errors.choice' }) });

export const NewTemplateSchema = z.object({ name: text(160), kind: z.enum(PLAN_KINDS, { message: 'errors.choice' }) });
