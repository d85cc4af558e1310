import { Router } from 'express';
import type { AppContext } from '../../core/context.js';
import { loadSweepResults } from './accessibility.js';
import { metricsHandler } from '../../core/metrics.js';

export { messages } from './messages.js';

/** Health check (mounted before sessions: it must not create one) and the public landing. */
export function router(ctx: AppContext): Router {
  const r = Router();
  // Browsers (and Chromium even with <link rel="icon">) still ask for /favicon.ico: point them at the SVG rather than log a 404.
  r.get('/favicon.ico', (_req, res) => res.redirect(301, '/img/favicon.svg'));

  /**
   * For a monitor: 200 {"status":"ok"} when the database answers a real read; 503 when it does
   * not, or when mail is stuck (with SMTP configured: a mail still undelivered an hour after it
   * was queued, or one given up on in the last day), so an outage shows as a failed check.
   */
  r.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    let outbox: { stuckOverOneHour: number; failedLastDay: number };
    try {
      ctx.db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get();
      const now = Date.now();
      outbox = ctx.config.smtpUrl
        ? (ctx.db
            .prepare(
              `SELECT COALESCE(SUM(status IN ('pending', 'sending') AND created_at < @hourAgo), 0) AS stuckOverOneHour,
                      COALESCE(SUM(status = 'failed' AND created_at >= @dayAgo), 0) AS failedLastDay
               FROM outbox WHERE status <> 'sent'`,
            )
            .get({ hourAgo: new Date(now - 3600_000).toISOString(), dayAgo: new Date(now - 86_400_000).toISOString() }) as typeof outbox)
        : { stuckOverOneHour: 0, failedLastDay: 0 };
    } catch {
      res.status(503).json({ status: 'unavailable' });
      return;
    }
    if (outbox.stuckOverOneHour || outbox.failedLastDay) res.status(503).json({ status: 'mail_stuck', outbox });
    else res.json({ status: 'ok' });
  });
  // Prometheus figures: off unless METRICS_TOKEN is set, then only with that bearer token.
  r.get('/metrics', metricsHandler(ctx));
  return r;
}

export function pagesRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/', (_req, res) => res.render('system/landing'));
  r.get('/donnees-personnelles', (_req, res) =>
    res.render('system/privacy', { retentionMonths: ctx.config.retentionMonths, talentPoolMonths: ctx.config.talentPoolMonths }),
  );
  // The accessibility statement: its figures are the last browser sweep's, read once at start-up.
  const sweep = loadSweepResults();
  r.get('/accessibilite', (_req, res) => res.render('system/accessibility', { sweep, siteUrl: ctx.config.baseUrl, contact: ctx.config.accessibilityContact }));
  return r;
}
