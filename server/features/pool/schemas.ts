import { z } from 'zod';

/** The pool's search box: free words (never FTS5 syntax: search-index.ts ftsQuery quotes each). */
export const PoolSearchQuery = z.object({
  q: z.string().trim().max(200, 'pool.errors.queryTooLong').default(''),
});

export const ProposeSchema = z.object({
  posting_id: z.coerce.number({ message: 'pool.errors.posting' }).int('pool.errors.posting').positive('pool.errors.posting'),
});

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.string().regex(/^[1-9][0-9]{0,11}$/, 'pool.errors.documents').transform(Number)).max(10, 'pool.errors.documents'));

/** The candidate accepts: which of their documents go, and the message the new CPTS reads. */
export const AcceptSchema = z.object({
  documents: ids,
  message: z.string().trim().max(10_000, 'applications.errors.messageTooLong').default(''),
});

/** A proposal link token as issued by newToken(). */
export const PROPOSAL_TOKEN = /^[A-Za-z0-9_-]{43}$/;
