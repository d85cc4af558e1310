import { z } from 'zod';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((v) => (v ? v : undefined));
const optionalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/** Filters of the audit log page; a malformed filter is ignored rather than an error. */
export const AuditQuery = z.object({
  action: optionalText(80),
  acteur: optionalText(120),
  du: optionalDate,
  au: optionalDate,
  cpts: z.coerce.number().int().positive().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

/** The bureau confirms an erasure requested by the candidate. */
export const EraseConfirm = z.object({
  confirm: z.literal('1', { message: 'gdpr.errors.confirm' }),
});
