import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CsrfError } from './errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Synchronizer token kept in the session; rotated whenever the session is regenerated. */
export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * The token as views see it: created (and the session with it) only when a page actually
 * prints it in a form. A public page without a form then starts no session, writes nothing
 * and can be served to everyone from the page cache (server/core/page-cache.ts).
 */
export class LazyCsrfToken {
  constructor(private readonly req: Request) {}
  toString(): string {
    return csrfToken(this.req);
  }
  toJSON(): string {
    return this.toString();
  }
}

/**
 * Checks the `_csrf` form field (or the X-CSRF-Token header, for enhanced forms) on every
 * state-changing request, whatever its content type. Mounted once, after the bodies are read,
 * by core/forms.ts (which also keeps files from being written before the token is known).
 */
export function csrfProtection() {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = new LazyCsrfToken(req);
    if (SAFE.has(req.method)) return next();
    if (!csrfValid(req)) throw new CsrfError();
    next();
  };
}

/** True when the request carries the session's token (read so far, for a multipart body). */
export function csrfValid(req: Request): boolean {
  const expected = req.session?.csrfToken;
  const body = req.body as Record<string, unknown> | undefined;
  const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? req.get('x-csrf-token');
  return Boolean(expected) && typeof sent === 'string' && sameToken(expected!, sent);
}

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    flash?: { kind: 'success' | 'error' | 'info'; message: string }[];
  }
}
