import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * What browsers and proxies may keep. Every dynamic response starts as `no-store`: pages of a
 * signed-in member, downloads and exports with personal data (documents, ZIP, CSV, calendar
 * files), a candidate's private-link pages. A route forgetting a header can then only be too
 * careful. Static files (mounted before) keep their own caching.
 */
export function noStoreByDefault(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/**
 * A page that is the same for every visitor without an account (job board, postings, feed):
 * it may be kept and revalidated, with an ETag of its body (a request sending it back gets a
 * 304). Never for a signed-in member, whose pages carry their name and menus.
 *
 * Express's own ETag is off (server/app.ts): it hashed every page, no-store ones included,
 * which no browser ever revalidates (0.05 ms of a 100 KB ranking page).
 */
export function allowPublicCaching(req: Request, res: Response, etag: string): void {
  if (req.user) return;
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', etag);
}

/** The validator of a public body: what allowPublicCaching sends and the page cache keeps. */
export function etagOf(body: string | Buffer): string {
  return `"${crypto.createHash('sha1').update(body).digest('base64url')}"`;
}
