import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';
import { allowPublicCaching, etagOf } from './cache-control.js';
import type { DB } from './db.js';
import type { Locale } from './i18n.js';
import { ROUTE_LABEL } from './request-log.js';

/**
 * Cache of the public pages (job board, posting pages, careers pages) as seen by a visitor
 * without a session: the same bytes for everyone in a given language, so they are rendered
 * once and then served from memory, already gzipped, until the public content changes.
 *
 * Correctness rests on two rules:
 * - only requests without a session cookie are served from or stored in the cache (a session
 *   may carry a user, a flash message or a CSRF token, none of which can be shared), and a page
 *   is stored only if rendering it did not start a session;
 * - an entry is valid only while `public_revision.revision` (bumped by triggers on postings,
 *   organisations and regions, migration 012) is unchanged, read from the database on every
 *   hit, so a change made by any process shows at once. Entries also expire after `ttlMs`,
 *   which bounds date-driven changes (a deadline passing) that no write announces.
 */

export const LANG_COOKIE = 'coordo.lang';
export const SESSION_COOKIE = 'coordo.sid';

type Pending = { key: string; revision: number; locale: Locale };
type Entry = { key: string; revision: number; expires: number; etag: string; identity: Buffer; gzip: Buffer; locale: Locale };

/** The value of one cookie from the raw header, without a parser (hot path). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The language of a visitor without an account: the switch's cookie, else the browser's. */
export function visitorLocale(req: Request): Locale {
  const chosen = cookieValue(req.headers.cookie, LANG_COOKIE);
  // French for everyone unless the person chose English (the language link): never guessed
  // from the browser, so a CPTS's visitors all read the site the same way until they choose.
  return chosen === 'en' ? 'en' : 'fr';
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly db: DB,
    private readonly options: { ttlMs: number; maxEntries: number },
  ) {}

  revision(): number {
    // Prepared per call (db.prepare keeps the compiled statement and resets its modes).
    return (this.db.prepare('SELECT revision FROM public_revision WHERE id = 1').pluck().get() as number | undefined) ?? 0;
  }

  static keyOf(req: Request, locale: Locale): string | undefined {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    if (cookieValue(req.headers.cookie, SESSION_COOKIE) !== undefined) return undefined;
    return `${locale}|${req.originalUrl}`;
  }

  private fresh(key: string, revision: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now() || entry.revision !== revision) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Middleware: answers from the cache when it can; mounted before compression. */
  serve() {
    return (req: Request, res: Response, next: NextFunction) => {
      const locale = visitorLocale(req);
      const key = PageCache.keyOf(req, locale);
      if (!key) return next();
      const revision = this.revision();
      const entry = this.fresh(key, revision);
      if (!entry) {
        // Read before the route's queries: a page is never stored under a newer revision than its data.
        res.locals.pageCache = { key, revision, locale } satisfies Pending;
        return next();
      }
      this.hits++;
      res.locals[ROUTE_LABEL] = '(page cache)';
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Language', entry.locale);
      res.setHeader('Vary', 'Accept-Encoding, Accept-Language, Cookie');
      res.setHeader('ETag', entry.etag);
      res.setHeader('Cache-Control', 'no-cache');
      if (req.headers['if-none-match'] === entry.etag) {
        res.statusCode = 304;
        return res.end();
      }
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      const body = gzip ? entry.gzip : entry.identity;
      if (gzip) res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', body.length);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
  }

  /**
   * Renders a public page and stores it when the request qualifies (no session before, none
   * started by the rendering). The response itself goes out through the normal path.
   */
  render(req: Request, res: Response, view: string, locals: Record<string, unknown> = {}): void {
    const pending = res.locals.pageCache as Pending | undefined;
    const locale = res.locals.locale as Locale;
    res.render(view, locals, (err: Error | null, html: string) => {
      if (err) return req.next?.(err);
      const etag = etagOf(html);
      if (pending && this.options.ttlMs > 0 && pending.locale === locale && !req.session?.csrfToken && !req.user && !res.getHeader('set-cookie')) {
        this.misses++;
        this.store({
          key: pending.key,
          revision: pending.revision,
          locale,
          expires: Date.now() + this.options.ttlMs,
          etag,
          identity: Buffer.from(html),
          gzip: zlib.gzipSync(html, { level: 9 }),
        });
      }
      res.setHeader('Vary', 'Accept-Encoding, Accept-Language, Cookie');
      res.setHeader('Content-Language', locale);
      allowPublicCaching(req, res, etag);
      res.send(html);
    });
  }

  private store(entry: Entry): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
    // Oldest first: drop the least recently stored when full (query strings are unbounded).
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
