import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { NotFound } from '../../core/errors.js';
import { idOr404 } from '../../core/http.js';
import type { Translate } from '../../core/i18n.js';
import { authorize, canViewRegion } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { marginForDashboard, regionalHires } from '../funding/service.js';
import { organisationById, regionById } from '../organisations/queries.js';
import { frenchDate, sendCsv, type Cell } from './csv.js';
import { messages as dashboardMessages } from './messages.js';
import * as q from './queries.js';
import { ReportQuery, type ReportQueryInput } from './schemas.js';
import * as service from './service.js';
import { cptsBenchmarks, regionBenchmarks } from './benchmarks.js';
import { exchangeSummary } from '../exchange/service.js';
import { regionNetworkAttention } from '../network/service.js';

export const messages = dashboardMessages;

const STAGE_COLUMNS = ['new', 'screening', 'interview', 'jury', 'offer', 'other'] as const;


function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function router(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();

  const viewableOrg = (req: Request) => {
    const org = organisationById(db, idOr404(req.params.id));
    authorize(actor(req), 'dashboard.view', org);
    return org as NonNullable<typeof org>;
  };

  const viewableRegion = (req: Request) => {
    const region = regionById(db, idOr404(req.params.id));
    if (!region || !canViewRegion(actor(req), region.id)) throw new NotFound();
    return region;
  };

  r.get('/regions/:id/tableau-de-bord', requireAuth, (req, res) => {
    const region = viewableRegion(req);
    res.render('dashboards/region', { region, rows: service.regionalDashboard(db, region.id), stageColumns: STAGE_COLUMNS, staleDays: service.STALE_POSTING_DAYS, hires: regionalHires(db, region.id), network: regionNetworkAttention(db, region.id), benchmarks: regionBenchmarks(db, region.id), replyDays: service.REPLY_WITHIN_DAYS });
  });

  r.get('/regions/:id/tableau-de-bord.csv', requireAuth, (req, res) => {
    const region = viewableRegion(req);
    const t = res.locals.t as Translate;
    const rows = service.regionalDashboard(db, region.id);
    sendCsv(
      res,
      t('dash.file.region', { slug: region.slug }),
      [
        t('dash.region.col.org'),
        t('dash.region.col.department'),
        t('dash.region.col.coordinator'),
        t('dash.region.col.open'),
        t('dash.region.col.days'),
        ...STAGE_COLUMNS.map((k) => t(`dash.stage.${k}`)),
        t('dash.region.col.panels'),
        t('dash.region.col.onboarding'),
        t('dash.region.col.overdue'),
        t('dash.region.col.reviews'),
        t('dash.region.col.attention'),
      ],
      rows.map((o) => [
        o.name,
        o.department,
        o.coordinators ?? t('dash.vacant'),
        o.openPostings,
        o.daysSincePosting,
        ...STAGE_COLUMNS.map((k) => o.stages[k]),
        o.panels,
        o.onboardingPercent === null ? '' : t('common.percent', { n: o.onboardingPercent }),
        o.overdue,
        o.reviewsDue,
        o.attention.map((a) => t(`dash.attention.${a}`)).join(', '),
      ]),
    );
  });

  r.get('/organisations/:id/tableau-de-bord', requireAuth, (req, res) => {
    const org = viewableOrg(req);
    res.render('dashboards/organisation', { org, dash: service.bureauDashboard(db, org.id), stageColumns: STAGE_COLUMNS, funding: marginForDashboard(db, actor(req), org.id), exchange: exchangeSummary(db, actor(req), org.id) });
  });

  r.get('/organisations/:id/tableau-de-bord.csv', requireAuth, (req, res) => {
    const org = viewableOrg(req);
    const t = res.locals.t as Translate;
    const dash = service.bureauDashboard(db, org.id);
    sendCsv(
      res,
      t('dash.file.openPostings'),
      [t('dash.org.col.posting'), t('dash.col.reference'), t('dash.org.col.published'), t('dash.org.col.days'), ...STAGE_COLUMNS.map((k) => t(`dash.stage.${k}`)), t('dash.org.col.total')],
      dash.postings.map((p) => [p.title, p.reference, frenchDate(p.published_at), p.days, ...STAGE_COLUMNS.map((k) => p.stages[k]), p.stages.total]),
    );
  });

  function reportContext(req: Request, res: Response, orgId: number) {
    const postings = q.postingsOf(db, orgId);
    const locals = { org: organisationById(db, orgId), postings, report: undefined, query: {}, values: req.query };
    const input = parseInput(ReportQuery, req.query, { view: 'dashboards/report', locals }) as ReportQueryInput;
    if (input.offre !== undefined && !postings.some((p) => p.id === input.offre)) throw new NotFound();
    const filter: q.ReportFilter = {
      organisationId: orgId,
      postingId: input.offre,
      from: input.du ? `${input.du}T00:00:00.000Z` : undefined,
      to: input.au ? nextDay(input.au) : undefined,
    };
    void res;
    return { input, filter, postings };
  }

  r.get('/organisations/:id/rapports', requireAuth, (req, res) => {
    const org = viewableOrg(req);
    const { input, filter, postings } = reportContext(req, res, org.id);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ offre: input.offre, du: input.du, au: input.au })) if (v !== undefined) params.set(k, String(v));
    res.render('dashboards/report', { org, postings, query: input, values: input, report: service.buildReport(db, filter), benchmarks: cptsBenchmarks(db, org.id), replyDays: service.REPLY_WITHIN_DAYS, csvBase: `/organisations/${org.id}/rapports.csv?${params.toString()}${params.size ? '&' : ''}` });
  });

  r.get('/organisations/:id/rapports.csv', requireAuth, (req, res) => {
    const org = viewableOrg(req);
    const t = res.locals.t as Translate;
    const { input, filter } = reportContext(req, res, org.id);
    const report = service.buildReport(db, filter);
    const table = input.tableau ?? 'funnel';
    const file = t('dash.file.report', { table: table.replace(/_/g, '-') });
    const tables: Record<string, [string[], Cell[][]]> = {
      funnel: [
        [t('dash.report.col.stage'), t('dash.report.col.reached'), t('dash.report.col.fromPrevious'), t('dash.report.col.fromStart')],
        report.funnel.map((f) => [t(`dash.stage.${f.stage_key}`), f.reached, f.fromPrevious === null ? '' : t('common.percent', { n: f.fromPrevious }), f.fromStart === null ? '' : t('common.percent', { n: f.fromStart })]),
      ],
      time_to_hire: [
        [t('dash.report.col.posting'), t('dash.col.reference'), t('dash.report.col.published'), t('dash.report.col.accepted'), t('dash.report.col.days')],
        report.hires.map((h) => [h.posting_title, h.posting_reference, frenchDate(h.published_at), frenchDate(h.accepted_at), h.days]),
      ],
      time_in_stage: [[t('dash.report.col.stage'), t('dash.report.col.stays'), t('dash.report.col.avgDays')], report.timeInStage.map((s) => [s.stage_name, s.n, s.avg_days])],
      sources: [[t('dash.report.col.source'), t('dash.report.col.count')], report.sources.map((s) => [t(`applications.source.${s.key}`), s.n])],
      rejections: [[t('dash.report.col.reason'), t('dash.report.col.count')], report.rejections.map((s) => [t(`dash.reason.${s.key}`), s.n])],
    };
    const [header, rows] = tables[table]!;
    sendCsv(res, file, header, rows);
  });

  return r;
}
