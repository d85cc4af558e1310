import { z } from 'zod';
import { Invalid, type FieldErrors } from './errors.js';

export type FormContext = { view?: string; locals?: Record<string, unknown> };

/** Collects zod issues into one French message per field (the first issue wins). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_form';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/**
 * Parses input with a schema or throws Invalid carrying the view to re-render.
 * `values` (what the user typed) travel with the error so the form keeps them.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, ctx: FormContext = {}): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new Invalid(fieldErrors(result.error), ctx.view, { values: input ?? {}, ...ctx.locals });
}

/** A French postal code (five digits), or nothing. */
export const postalCode = z
  .string()
  .trim()
  .refine((v) => v === '' || /^\d{5}$/.test(v), 'errors.postalCode')
  .default('');

/** An https address without spaces, or nothing: it is printed on public pages and in structured data. */
export const httpsUrl = z
  .string()
  .trim()
  .max(500, 'errors.tooLong')
  .refine((v) => {
    if (v === '') return true;
    if (/\s/.test(v)) return false;
    try {
      const u = new URL(v);
      return u.protocol === 'https:' && Boolean(u.hostname);
    } catch {
      return false;
    }
  }, 'errors.httpsUrl')
  .default('');
