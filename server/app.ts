import fs from 'node:fs';
import path from 'node:path';
import querystring from 'node:querystring';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import ejs from 'ejs';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { AppContext, AppDeps } from './core/context.js';
import { noStoreByDefault } from './core/cache-control.js';
import { wholeBodyCompression } from './core/compress.js';
import { declareLocals } from './core/templates.js';
import { CsrfError, HttpError, Invalid } from './core/errors.js';
import { createPassport } from './core/auth.js';
import { cleanValues, formRequests } from './core/forms.js';
import { errorSummaryLabels } from './core/error-summary.js';
import { escapeHtml } from './core/html.js';
import { createI18n, formatDate, formatNumber, type Locale, type Messages, type Translate } from './core/i18n.js';
import { postingLabelHelpers } from './core/posting-label.js';
import { PageCache, SESSION_COOKIE, visitorLocale } from './core/page-cache.js';
import { Metrics } from './core/metrics.js';
import { SqliteRateLimitStore } from './core/rate-limit-store.js';
import { requestLog, ROUTE_LABEL } from './core/request-log.js';
import { SqliteSessionStore } from './core/session-store.js';
import { commonMessages } from './core/messages.js';
import * as applications from './features/applications/routes.js';
import * as auth from './features/auth/routes.js';
import * as calibration from './features/calibration/routes.js';
import * as pool from './features/pool/routes.js';
import * as dashboards from './features/dashboards/routes.js';
import * as evaluation from './features/evaluation/routes.js';
import * as funding from './features/funding/routes.js';
import * as exchange from './features/exchange/routes.js';
import * as hiring from './features/hiring/routes.js';
import * as interviews from './features/interviews/routes.js';
import * as jobs from './features/jobs/routes.js';
import * as network from './features/network/routes.js';
import * as onboarding from './features/onboarding/routes.js';
import * as organisations from './features/organisations/routes.js';
import * as outbox from './features/outbox/routes.js';
import * as pipeline from './features/pipeline/routes.js';
import * as privacy from './features/privacy/routes.js';
import * as questions from './features/questions/routes.js';
import * as scheduling from './features/scheduling/routes.js';
import * as system from './features/system/routes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = path.resolve(here, '../views');
export const PUBLIC_DIR = path.resolve(here, '../public');

const FEATURES = [system, auth, organisations, outbox, privacy, onboarding, network, pipeline, jobs, questions, applications, evaluation, calibration, pool, interviews, hiring, dashboards, funding, scheduling, exchange];

/** Every catalogue the app loads, in load order (test/core/catalogues.test.ts reads this list). */
export const CATALOGUES: readonly Messages[] = [commonMessages, ...FEATURES.map((f) => f.messages)];

export function createApp(deps: AppDeps): express.Express {
  const { config, db, logger } = deps;
  const i18n = createI18n([...CATALOGUES]);
  const pageCache = new PageCache(db, { ttlMs: config.publicCacheSeconds * 1000, maxEntries: 1_000 });
  const metrics = deps.metrics ?? new Metrics();
  const ctx: AppContext = { ...deps, i18n, pageCache, metrics, rateLimitStore: (name) => new SqliteRateLimitStore(db, name) };
  const app = express();
  app.set('pageCache', pageCache);
  app.set('trust proxy', config.trustProxy);
  // First: every request gets its id, its access line and its duration by route.
  app.use(requestLog({ logger, metrics, trustProxy: config.trustProxy }));

  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.set('view cache', config.env !== 'development');
  // EJS's options are fixed here, out of reach of the page's data: given only the data, EJS
  // reads them from `data.settings`, which a local named `settings` replaced (the poll page
  // was compiled again on every view). Line tracking in compiled templates only where someone
  // reads the stack traces. Includes name their file from views/ (`include('/partials/head')`,
  // test/core/templates.test.ts): a relative one cost a file-system check on every include.
  // Compiled without `with`: each template declares the names it reads (core/templates.ts).
  ejs.fileLoader = (file: string) => declareLocals(fs.readFileSync(file, 'utf8'));
  const viewOptions: ejs.Options = { root: VIEWS_DIR, views: [VIEWS_DIR], cache: config.env !== 'development', compileDebug: config.env !== 'production', _with: false, localsName: 'locals' };
  app.engine('ejs', (file: string, data: object, cb: (err: Error | null, html?: string) => void) => {
    ejs.renderFile(file, data as ejs.Data, viewOptions, (err, html) => cb(err ?? null, html));
  });
  app.set('trust proxy', config.trustProxy);
  // Query strings reach the database too (search, filters): cleaned where they are parsed.
  app.set('query parser', (qs: string) => cleanValues(querystring.parse(qs)));
  app.disable('x-powered-by');
  // ETags only where a page may be revalidated (allowPublicCaching); every other response is no-store.
  app.set('etag', false);
  app.locals.formatDate = formatDate;
  app.locals.formatNumber = formatNumber;
  // For views that build a repeated fragment once (pipeline board) and print it with <%- %>.
  app.locals.escapeHtml = escapeHtml;

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          ...(config.env === 'production' ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.env === 'production',
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  // Public pages for visitors without a session, already rendered and gzipped (before
  // compression, which would compress them again).
  app.use(pageCache.serve());
  // gzip: the pipeline board and the ranking of a 500-candidate posting are 0.7–1.5 MB of HTML
  // (benchmark, docs/benchmarks.md); compressed they fit the 60 KB per page budget. Uploads and
  // documents (PDF, ZIP) are not compressible types and pass through untouched.
  // Level 1, as nginx does by default: half the CPU of the default level 6 for pages ~25 %
  // bigger (the board: 8 -> 10 KB); cached public pages are compressed once, at level 9.
  app.use(compression({ level: 1 }));
  // A body sent in one piece (every page) is compressed in one piece and sent in one write.
  app.use(wholeBodyCompression());
  const serveStatic = express.static(PUBLIC_DIR, {
    maxAge: config.env === 'production' ? '1d' : 0,
    index: false,
    setHeaders: (res) => {
      (res as unknown as Response).locals[ROUTE_LABEL] = '(static)';
    },
  });
  // Static files are only under public/'s own folders (css, img, js): any other path would
  // cost every page a file-system stat (a thread-pool round trip) to learn it is not a file.
  const publicEntries = new Set(fs.readdirSync(PUBLIC_DIR));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const slash = req.path.indexOf('/', 1);
    return publicEntries.has(req.path.slice(1, slash < 0 ? undefined : slash)) ? serveStatic(req, res, next) : next();
  });
  app.use(noStoreByDefault);
  // A page rendered with field errors names each field in its error summary.
  app.use(errorSummaryLabels);

  // Health check and public read-only routes need neither session nor body.
  app.use(system.router(ctx));

  const store = new SqliteSessionStore(db);
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: deps.sessionSecret,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production', maxAge: 8 * 3600_000 },
    }),
  );
  const passport = createPassport(db, config.passwordCost);
  app.use(passport.initialize());
  app.use(passport.session());

  app.use((req: Request, res: Response, next: NextFunction) => {
    const locale: Locale = req.user?.locale ?? visitorLocale(req);
    res.locals.locale = locale;
    res.locals.t = i18n.translator(locale);
    Object.assign(res.locals, postingLabelHelpers(res.locals.t as Translate, locale));
    res.locals.user = req.user;
    res.locals.currentPath = req.path;
    res.locals.currentUrl = req.originalUrl;
    res.locals.flash = req.session.flash ?? [];
    if (req.method === 'GET' && req.session.flash) delete req.session.flash;
    res.locals.errors = {};
    res.locals.values = {};
    next();
  });
  // Bodies (files of declared upload routes included), then the CSRF check for every
  // state-changing request whatever its content type, then control characters out. A feature
  // that receives files declares its upload routes here; anywhere else a file part is refused.
  app.use(formRequests({ uploads: applications.uploads(ctx) }));

  app.use(system.pagesRouter(ctx));
  app.use(auth.router(ctx, passport));
  app.use(organisations.router(ctx));
  app.use(outbox.router(ctx));
  app.use(privacy.router(ctx));
  app.use(onboarding.router(ctx));
  app.use(network.router(ctx));
  app.use(pipeline.router(ctx));
  app.use(jobs.router(ctx));
  app.use(questions.router(ctx));
  app.use(applications.router(ctx));
  app.use(evaluation.router(ctx));
  app.use(calibration.router(ctx));
  app.use(pool.router(ctx));
  app.use(hiring.router(ctx));
  app.use(interviews.router(ctx));
  app.use(dashboards.router(ctx));
  app.use(funding.router(ctx));
  app.use(scheduling.router(ctx));
  app.use(exchange.router(ctx));

  app.use((_req: Request, res: Response) => {
    res.status(404).render('errors/error', { status: 404 });
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    // Errors raised before the locals middleware (body too large, bad session) still get a page.
    if (!res.locals.t) {
      res.locals.locale = 'fr';
      res.locals.t = i18n.translator('fr');
      Object.assign(res.locals, postingLabelHelpers(res.locals.t as Translate, 'fr'));
    }
    res.locals.flash ??= [];
    res.locals.user ??= req.user;
    res.locals.currentPath ??= req.path;
    res.locals.currentUrl ??= req.originalUrl;
    res.locals.errors ??= {};
    res.locals.values ??= {};
    res.locals.csrfToken ??= req.session?.csrfToken ?? '';
    if (err instanceof Invalid && err.view) {
      return res.status(err.status).render(err.view, { ...err.locals, errors: err.fields });
    }
    if (err instanceof CsrfError) return res.status(403).render('errors/error', { status: 403, reason: 'csrf' });
    if (err instanceof HttpError) return res.status(err.status).render('errors/error', { status: err.status });
    // Body-parser and multer errors carry their own 4xx status.
    const status = (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return res.status(status).render('errors/error', { status });
    }
    logger.error('unhandled error', { path: req.path, error: err instanceof Error ? err.stack : String(err) });
    res.status(500).render('errors/error', { status: 500 });
  });

  return app;
}
