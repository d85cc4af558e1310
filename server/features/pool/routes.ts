import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import type { Locale } from '../../core/i18n.js';
import { cookieValue, LANG_COOKIE } from '../../core/page-cache.js';
import { fieldErrors, parseInput } from '../../core/validate.js';
import { regionById } from '../organisations/queries.js';
import { messages as poolMessages } from './messages.js';
import { AcceptSchema, PoolSearchQuery, PROPOSAL_TOKEN, ProposeSchema } from './schemas.js';
import * as service from './service.js';

export const messages = poolMessages;

export function router(ctx: AppContext): Router {
  const { db, config, i18n } = ctx;
  const r = Router();

  function poolRegion(req: Request) {
    const region = regionById(db, idOr404(req.params.id));
    if (!region) throw new NotFound();
    service.assertPoolAccess(actor(req), region.id);
    return region;
  }

  function poolLocals(req: Request, res: Response, region: { id: number; name: string }, text: string) {
    return { region, q: text, ...service.regionPool(db, actor(req), region.id, text, res.locals.t), pageSize: service.POOL_PAGE, months: config.talentPoolMonths };
  }

  r.get('/regions/:id/vivier', requireAuth, (req, res) => {
    const region = poolRegion(req);
    const { q: text } = parseInput(PoolSearchQuery, req.query, { view: 'pool/region', locals: { region, q: '', entries: [], total: 0, searched: false, pageSize: service.POOL_PAGE, months: config.talentPoolMonths } });
    res.render('pool/region', poolLocals(req, res, region, text));
  });

  r.post('/regions/:id/vivier/candidatures/:applicationId/propositions', requireAuth, (req, res) => {
    const region = poolRegion(req);
    const applicationId = idOr404(req.params.applicationId);
    const parsed = ProposeSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new Invalid(fieldErrors(parsed.error), 'pool/region', { ...poolLocals(req, res, region, ''), values: {} });
    try {
      service.propose(db, actor(req), region.id, applicationId, parsed.data.posting_id, { baseUrl: config.baseUrl, translator: i18n.translator, ip: clientIp(req), talentPoolMonths: config.talentPoolMonths });
      flash(req, 'success', 'pool.flash.proposed');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', err.message);
    }
    res.redirect(303, `/regions/${region.id}/vivier#pool-${applicationId}`);
  });

  // ---- the candidate's answer, through the mailed link -------------------------------------------
  function tokenOf(req: Request): string {
    const token = req.params.token;
    if (typeof token !== 'string' || !PROPOSAL_TOKEN.test(token)) throw new NotFound();
    return token;
  }

  /** A proposal that can be answered; otherwise a page that says why (answered, expired, closed). */
  function pending(req: Request, res: Response) {
    const state = service.resolveProposal(db, tokenOf(req));
    if (state.state === 'pending') return state;
    const status = state.state === 'unknown' ? 404 : state.state === 'answered' ? 200 : 410;
    res.status(status).render('pool/proposal-closed', { state: state.state, proposal: state.state === 'answered' ? state.proposal : null });
    return undefined;
  }

  const proposalView = 'pool/proposal';
  const proposalLocals = (state: Extract<service.ProposalState, { state: 'pending' }>, token: string) => ({
    proposal: state.proposal,
    source: state.source,
    documents: service.documentsOfSource(db, state.source.id),
    token,
  });

  r.get('/vivier/:token', (req, res) => {
    const state = pending(req, res);
    if (!state) return;
    res.render(proposalView, { ...proposalLocals(state, tokenOf(req)), values: { message: state.source.message, documents: [] } });
  });

  r.post('/vivier/:token/accepter', (req, res) => {
    const state = pending(req, res);
    if (!state) return;
    const token = tokenOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { message: typeof body.message === 'string' ? body.message : '', documents: ([] as unknown[]).concat(body.documents ?? []).map(String) };
    const input = parseInput(AcceptSchema, body, { view: proposalView, locals: { ...proposalLocals(state, token), values } });
    const own = new Set(service.documentsOfSource(db, state.source.id).map((d) => d.id));
    if (input.documents.some((id) => !own.has(id))) throw new Invalid({ documents: 'pool.errors.documents' }, proposalView, { ...proposalLocals(state, token), values });
    try {
      service.acceptProposal(db, state, input, {
        baseUrl: config.baseUrl,
        uploadDir: config.uploadDir,
        translator: i18n.translator,
        ip: clientIp(req),
        // The language they chose on this page (the language link), else their application's.
        pageLocale: cookieValue(req.headers.cookie, LANG_COOKIE) !== undefined ? (res.locals.locale as Locale) : null,
      });
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      throw new Invalid({ _form: err.message }, proposalView, { ...proposalLocals(state, token), values }, 409);
    }
    res.redirect(303, `/vivier/${token}`);
  });

  r.post('/vivier/:token/refuser', (req, res) => {
    const state = pending(req, res);
    if (!state) return;
    service.declineProposal(db, state, clientIp(req));
    res.redirect(303, `/vivier/${tokenOf(req)}`);
  });

  return r;
}
