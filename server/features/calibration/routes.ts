import { Router } from 'express';
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

export function router(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();
  r.use(['/regions/:id/calibration', '/calibration'], (_req, res, next) => {
    res.locals.decimal = (value: number, digits: number, signed = false) => decimal(value, res.locals.locale as string, digits, signed);
    next();
  });

  r.get('/regions/:id/calibration', requireAuth, (req, res) => {
    const data = service.regionCalibration(db, actor(req), idOr404(req.params.id));
    res.render('calibration/region', { ...data, minUnits: service.MIN_UNITS, minPairable: service.MIN_PAIRABLE, minCompared: service.MIN_COMPARED });
  });

  r.get('/calibration', requireAuth, (req, res) => {
    res.render('calibration/mine', { regions: service.myCalibration(db, actor(req)), minCompared: service.MIN_COMPARED });
  });

  return r;
}
