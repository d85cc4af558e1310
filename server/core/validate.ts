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

// eslint-disable-next-line no-control-regex
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.?$/;

/**
 * A web link as stored: normalised (`URL.href`), or undefined when it is not one a browser
 * opens safely and every consumer accepts. Calendar files validate their URL strictly (no
 * whitespace, a DNS host or IPv4 address, a port of 2 to 5 digits), so a link that passes here
 * can never fail later, when an invitation is built.
 */
export function webUrl(value: string): string | undefined {
  if (SPACE_OR_CONTROL.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (!HOST.test(url.hostname) || (url.port !== '' && url.port.length < 2)) return undefined;
  return url.href;
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
  .refine((v) => v === '' || (webUrl(v)?.startsWith('https://') ?? false), 'errors.httpsUrl')
  .default('');
