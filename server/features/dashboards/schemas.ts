import { z } from 'zod';

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dashboards.errors.date')
  .refine((v) => !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'dashboards.errors.date');

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' || v === undefined ? undefined : v), schema.optional());

export const REPORT_TABLES = ['funnel', 'time_to_hire', 'time_in_stage', 'sources', 'rejections'] as const;

/** Filters of the reports page and its CSV exports (query string). */
export const ReportQuery = z
  .object({
    offre: optional(z.coerce.number({ message: 'dashboards.errors.posting' }).int('dashboards.errors.posting').positive('dashboards.errors.posting').max(2 ** 31, 'dashboards.errors.posting')),
    du: optional(isoDate),
    au: optional(isoDate),
    tableau: optional(z.enum(REPORT_TABLES, { message: 'dashboards.errors.table' })),
  })
  .refine((v) => !v.du || !v.au || v.du <= v.au, { message: 'dashboards.errors.range', path: ['au'] });

export type ReportQueryInput = z.infer<typeof ReportQuery>;
