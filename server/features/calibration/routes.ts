import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { idOr404 } from '../../core/http.js';
import { messages as calibrationMessages } from './messages.js';
import * as service from './service.js';

export const messages = calibrationMessages;

const decimals = new Map<string, Intl.NumberFormat>();

/** 0.815 -> "0,815" (French) with a fixed number of decimals, "+0,35" when signed. */
export function decimal(value: number, locale: string, digits: number, signed = false): string {
  const key = `${locale}|${digits}|${signed}`;
  let f = decimals.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' });
    decimals.set(key, f);
  }
  return f.format(value);
}

/** Rows per page of a region's full lists of recruitments and panelists. */
const LIST_PAGE = 50;
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1) });

export function router(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();
  r.use(['/regions/:id/calibration', '/calibration'], (_req, res, next) => {
    res.locals.decimal = (value: number, digits: number, signed = false) => decimal(value, res.locals.locale as string, digits, signed);
    next();
  });

  const limits = { minUnits: service.MIN_UNITS, minPairable: service.MIN_PAIRABLE, minCompared: service.MIN_COMPARED };

  // The region's page: its criteria in full, and the recruitments and panelists a network
  // meeting would look at first (lowest agreement, furthest from the others); a region of
  // hundreds of CPTS has thousands of each, listed in full on their own pages.
  r.get('/regions/:id/calibration', requireAuth, (req, res) => {
    const data = service.regionCalibration(db, actor(req), idOr404(req.params.id));
    res.render('calibration/region', { ...data, ...service.highlights(data), ...limits });
  });

  for (const list of ['recrutements', 'jury'] as const) {
    r.get(`/regions/:id/calibration/${list}`, requireAuth, (req, res) => {
      const data = service.regionCalibration(db, actor(req), idOr404(req.params.id));
      const rows = list === 'recrutements' ? data.postings : data.panelists;
      const pages = Math.max(1, Math.ceil(rows.length / LIST_PAGE));
      const page = Math.min(pageQuery.parse(req.query).page, pages);
      res.render('calibration/list', {
        region: data.region,
        list,
        total: rows.length,
        rows: rows.slice((page - 1) * LIST_PAGE, page * LIST_PAGE),
        regionSpread: data.regionSpread,
        typicalLeniency: data.typicalLeniency,
        page,
        pages,
        pageBase: `/regions/${data.region.id}/calibration/${list}?`,
        ...limits,
      });
    });
  }

  r.get('/calibration', requireAuth, (req, res) => {
    res.render('calibration/mine', { regions: service.myCalibration(db, actor(req)), minCompared: service.MIN_COMPARED });
  });

  return r;
}
