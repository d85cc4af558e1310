import { z } from 'zod';

export const SOURCES = ['board', 'cpts_site', 'network', 'job_site', 'social', 'word_of_mouth', 'other'] as const;
export type Source = (typeof SOURCES)[number];

export const STATUSES = ['received', 'in_review', 'interview', 'offer', 'hired', 'rejected', 'withdrawn'] as const;

/** A checkbox: '1' when ticked (a repeated field counts if one of them is). */
const checkbox = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v.includes('1') : v === '1'));

const name = z.string({ message: 'errors.required' }).trim().min(1, 'errors.required').max(100, 'applications.errors.nameTooLong');

/** Only what has a direct link with the post (Code du travail L1221-6): no birth date, photo or family. */
export const ApplySchema = z.object({
  first_name: name,
  last_name: name,
  email: z.string({ message: 'errors.required' }).trim().min(1, 'errors.required').max(254, 'errors.email').pipe(z.email('errors.email')),
  phone: z
    .string()
    .trim()
    .max(30, 'applications.errors.phone')
    .refine((v) => v === '' || /^\+?[0-9 ().-]{6,30}$/.test(v), 'applications.errors.phone')
    .default(''),
  message: z.string().trim().max(10_000, 'applications.errors.messageTooLong').default(''),
  source: z.enum(SOURCES, { message: 'applications.errors.source' }),
  talent_pool: checkbox,
  // Separate from the CPTS's own pool: shared with the region's other CPTS (issue 17).
  region_pool: checkbox,
});
export type ApplyInput = z.output<typeof ApplySchema>;

/** A private link token as issued by newToken(): URL-safe base64 of 32 bytes. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The message, updated by the candidate through their private link. */
export const CandidateMessageSchema = z.object({
  message: z.string({ message: 'errors.required' }).trim().max(10_000, 'applications.errors.messageTooLong').default(''),
});

/** A document added through the private link: what it is (the file itself is checked by content). */
export const CandidateDocumentSchema = z.object({
  kind: z.enum(['cv', 'other'], { message: 'applications.errors.documentKind' }).default('other'),
});

/** The candidate confirms the erasure of their data. */
export const CandidateEraseConfirm = z.object({
  confirm: z.literal('1', { message: 'applications.errors.confirmErase' }),
});
