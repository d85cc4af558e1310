import { Router } from 'express';
import type { AppContext } from '../../core/context.js';
import type { Messages } from '../../core/i18n.js';
import { privacyNoticeMessages } from './privacy-messages.js';
import { accessibilityStatementMessages } from './accessibility-messages.js';
import { loadSweepResults } from './accessibility.js';
import { metricsHandler } from '../../core/metrics.js';

const pageMessages: Messages = {
  fr: {
    'landing.title': 'Recruter et accueillir la coordination de votre CPTS',
    'landing.lead': 'Coordo accompagne les bureaux de CPTS et les chargé·es de mission régionaux : offres pré-rédigées, candidatures, jurys notés sur les qualités attendues, entretiens, puis parcours d’intégration relié au réseau régional des coordinateurs.',
    'landing.jobs': 'Voir les offres d’emploi',
    'landing.login': 'Espace des CPTS',
    'landing.step1.title': 'Des offres prêtes à adapter',
    'landing.step1.body': 'Modèles de fiche de poste pour la coordination et la gestion de cas, rédigés à partir des missions et qualités attendues.',
    'landing.step2.title': 'Un jury qui note de façon indépendante',
    'landing.step2.body': 'Chaque membre du jury évalue les candidatures sur des critères liés au poste, avant de voir l’avis des autres.',
    'landing.step3.title': 'Une intégration accompagnée',
    'landing.step3.body': 'Le nouveau coordinateur suit un parcours : bureau, correspondants ARS et CPAM, partenaires du territoire, réseau régional et pair.',
    'privacy.title': 'Données personnelles',
  },
  en: {
    'landing.title': 'Recruit and welcome your CPTS’s coordination',
    'landing.lead': 'Coordo supports CPTS boards and regional project officers: pre-drafted postings, applications, panels scoring the required qualities, interviews, then an onboarding path tied to the regional network of coordinators.',
    'landing.jobs': 'See job offers',
    'landing.login': 'CPTS area',
    'landing.step1.title': 'Postings ready to adapt',
    'landing.step1.body': 'Job description templates for coordination and case management, written from the missions and qualities required.',
    'landing.step2.title': 'A panel that scores independently',
    'landing.step2.body': 'Each panel member scores the candidates on job-related criteria before seeing the others’ opinion.',
    'landing.step3.title': 'Supported onboarding',
    'landing.step3.body': 'The new coordinator follows a path: the board, ARS and CPAM correspondents, local partners, the regional network and a peer.',
    'privacy.title': 'Personal data',
  },
};

export const messages: Messages = {
  fr: { ...pageMessages.fr, ...privacyNoticeMessages.fr, ...accessibilityStatementMessages.fr },
  en: { ...pageMessages.en, ...privacyNoticeMessages.en, ...accessibilityStatementMessages.en },
};

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
