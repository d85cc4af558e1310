import { Router, type Request } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Conflict } from '../../core/errors.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import { parseInput } from '../../core/validate.js';
import type { Translate } from '../../core/i18n.js';
import { maskedRow } from '../pipeline/anonymity.js';
import { messages as hiringMessages } from './messages.js';
import { CloseSchema, DECLINE_REASONS, OfferSchema, OutcomeSchema } from './schemas.js';
import * as service from './service.js';

export const messages = hiringMessages;


export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  r.use('/recrutement/candidatures/:id/offre', requireAuth);
  r.use('/recrutement/candidatures/:id/cloture', requireAuth);

  const view = 'hiring/offer';
  const locals = (req: Request, extra: Record<string, unknown> = {}) => {
    const page = service.offerPage(db, actor(req), idOr404(req.params.id));
    // The page names the candidate as the anonymity rule lets this user see them.
    return { ...page, scope: maskedRow(ctx.i18n.translator(req.user?.locale ?? 'fr'), page.scope), declineReasons: DECLINE_REASONS, ...extra };
  };
  // Candidate mails and the invitation are written in French, the product's first language.
  const hireCtx = (req: Request) => ({ translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });

  r.get('/recrutement/candidatures/:id/offre', (req, res) => {
    const page = locals(req);
    const s = page.scope;
    // The new offer starts from the posting's own terms.
    const values = {
      start_date: s.posting_start_date ?? '',
      contract_type: s.posting_contract_type,
      contract_duration_months: s.posting_contract_duration_months ?? '',
      fte_percent: s.posting_fte_percent ?? 100,
      salary_gross_yearly: s.posting_salary_min ?? '',
    };
    res.render(view, { ...page, values });
  });

  r.post('/recrutement/candidatures/:id/offre', (req, res) => {
    const form = { view, locals: locals(req) };
    const input = parseInput(OfferSchema, req.body, { ...form, locals: { ...form.locals, offerForm: true } });
    service.makeOffer(db, actor(req), idOr404(req.params.id), input, form);
    flash(req, 'success', 'hiring.offer.saved');
    res.redirect(`/recrutement/candidatures/${req.params.id}/offre`);
  });

  r.post('/recrutement/candidatures/:id/offre/reponse', (req, res) => {
    const id = idOr404(req.params.id);
    const form = { view, locals: locals(req, { outcomeForm: true }) };
    const input = parseInput(OutcomeSchema, req.body, form);
    let result: service.OutcomeResult;
    try {
      result = service.recordOutcome(db, actor(req), id, input, hireCtx(req), form);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'hiring.errors.stale');
      return res.redirect(`/recrutement/candidatures/${id}/offre`);
    }
    if (result.outcome === 'declined') {
      flash(req, 'info', 'hiring.outcome.declined');
      return res.redirect(`/recrutement/candidatures/${id}/offre`);
    }
    flash(req, 'success', 'hiring.outcome.hired');
    if (result.farStartDate) flash(req, 'info', 'hiring.outcome.farStart');
    if (result.releasedMails) flash(req, 'info', (res.locals.t as Translate)('mails.releasedOnHire', { n: result.releasedMails }));
    res.redirect(`/recrutement/candidatures/${id}/cloture`);
  });

  r.get('/recrutement/candidatures/:id/cloture', (req, res) => {
    const page = service.closingPage(db, actor(req), idOr404(req.params.id));
    const t = res.locals.t as Translate;
    res.render('hiring/close', { ...page, others: page.others.map((o) => maskedRow(t, o)) });
  });

  r.post('/recrutement/candidatures/:id/cloture', (req, res) => {
    const id = idOr404(req.params.id);
    const input = parseInput(CloseSchema, req.body);
    try {
      const n = service.rejectOthers(db, actor(req), id, { ids: input.ids, sendMail: input.send_mail === '1' }, hireCtx(req));
      flash(req, 'success', n ? 'hiring.close.done' : 'hiring.close.none');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'hiring.errors.staleList');
    }
    res.redirect(`/recrutement/candidatures/${id}/cloture`);
  });

  return r;
}
