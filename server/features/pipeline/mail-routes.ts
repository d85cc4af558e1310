import type { Request, Router } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor } from '../../core/auth.js';
import { Conflict } from '../../core/errors.js';
import { clientIp, flash, idOr404, safeRedirectPath } from '../../core/http.js';
import type { Translate } from '../../core/i18n.js';
import { can, organisationIdsOf, regionIdsOf, type Actor } from '../../core/policy.js';
import { organisationById, organisationsOfRegions } from '../organisations/queries.js';
import { presentIdentity } from './anonymity.js';
import { cancelCandidateMail, mayActOn, pendingMails, sendHeldNow, undoableCount, type PendingMailRow } from './candidate-mails.js';
import { heldMailRenderer, identityFor } from './service.js';

/** The CPTS whose candidate mails this actor may see waiting: those whose pipeline they see. */
function organisationsOf(db: AppContext['db'], me: Actor): { id: number; region_id: number }[] {
  const own = organisationIdsOf(me)
    .map((id) => organisationById(db, id) as { id: number; region_id: number } | undefined)
    .filter((o): o is { id: number; region_id: number } => Boolean(o));
  const regional = organisationsOfRegions(db, regionIdsOf(me)).map((o) => ({ id: o.id, region_id: o.region_id }));
  const all = new Map([...own, ...regional].map((o) => [o.id, o]));
  return [...all.values()].filter((o) => can(me, 'pipeline.view', o));
}

export type PresentedMail = PendingMailRow & { candidate: string; mayAct: boolean };

/** Pending mails as this user may read them (the candidate named as the anonymity rule says). */
export function presentPending(db: AppContext['db'], t: Translate, me: Actor, rows: PendingMailRow[], orgs: { id: number; region_id: number }[]): PresentedMail[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  return rows.map((m) => {
    const identity = presentIdentity(t, identityFor(db, m.application_id, me.id));
    const org = byId.get(m.organisation_id);
    return { ...m, subject: identity.redact(m.subject), candidate: identity.label, mayAct: Boolean(org && mayActOn(me, org, m)) };
  });
}

/** The undo window's notice, the page of waiting mails, and the cancel / send-now actions. */
export function candidateMailRoutes(r: Router, ctx: AppContext): void {
  const { db } = ctx;

  // Every recruitment page says when mails are about to leave, whichever page caused them.
  r.use('/recrutement', (req, res, next) => {
    if (req.method === 'GET' && req.user) {
      const orgs = organisationsOf(db, actor(req));
      const pending = undoableCount(db, orgs.map((o) => o.id));
      res.locals.pendingCandidateMails = pending.count ? pending : null;
    }
    next();
  });

  r.get('/recrutement/courriels-en-attente', (req, res) => {
    const me = actor(req);
    const orgs = organisationsOf(db, me);
    const rows = presentPending(db, res.locals.t as Translate, me, pendingMails(db, { organisationIds: orgs.map((o) => o.id) }), orgs);
    res.render('pipeline/pending-mails', { undoable: rows.filter((m) => !m.held), held: rows.filter((m) => m.held), back: '/recrutement/courriels-en-attente' });
  });

  const backOf = (req: Request) => safeRedirectPath((req.body as Record<string, unknown> | undefined)?.retour, '/recrutement/courriels-en-attente');

  r.post('/recrutement/courriels/:id/annuler', (req, res) => {
    try {
      cancelCandidateMail(db, actor(req), idOr404(req.params.id), clientIp(req));
      flash(req, 'success', 'mails.flash.cancelled');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'mails.flash.tooLate');
    }
    res.redirect(303, backOf(req));
  });

  r.post('/recrutement/courriels/:id/envoyer', (req, res) => {
    try {
      sendHeldNow(db, actor(req), idOr404(req.params.id), heldMailRenderer(db, ctx.i18n.translator), clientIp(req));
      flash(req, 'success', 'mails.flash.released');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'mails.flash.tooLate');
    }
    res.redirect(303, backOf(req));
  });
}
