import { Router } from 'express';
import type { AppContext } from '../../core/context.js';
import type { Messages } from '../../core/i18n.js';
import { metricsHandler } from '../../core/metrics.js';

export const messages: Messages = {
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

/** Health check (mounted before sessions: it must not create one) and the public landing. */
export function router(ctx: AppContext): Router {
  const r = Router();
  // Browsers (and Chromium even with <link rel="icon">) still ask for /favicon.ico: point them at the SVG rather than log a 404.
  r.get('/favicon.ico', (_req, res) => res.redirect(301, '/img/favicon.svg'));

  r.get('/healthz', (_req, res) => {
    try {
      ctx.db.prepare('SELECT 1').get();
      // Mail waiting over an hour while SMTP is configured means delivery is broken.
      const stuck = ctx.config.smtpUrl
        ? (ctx.db
            .prepare("SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending', 'failed') AND created_at < ?")
            .get(new Date(Date.now() - 3600_000).toISOString()) as { n: number }).n
        : 0;
      res.set('Cache-Control', 'no-store').json(stuck ? { status: 'ok', outbox: { stuckOverOneHour: stuck } } : { status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
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
  return r;
}
