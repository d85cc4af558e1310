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
 * it may be kept and revalidated. Never for a signed-in member, whose pages carry their name
 * and menus.
 */
export function allowPublicCaching(req: Request, res: Response): void {
  if (!req.user) res.setHeader('Cache-Control', 'no-cache');
}
