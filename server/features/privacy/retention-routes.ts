import type { Router } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { NotFound } from '../../core/errors.js';
import { clientIp, flash, idParam } from '../../core/http.js';
import { authorize, regionIdsOf } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import type { Translate } from '../../core/i18n.js';
import { maskedRow } from '../pipeline/anonymity.js';
import { identityFor } from '../pipeline/service.js';
import { organisationById, organisationsOfRegions, regionById } from '../organisations/queries.js';
import { renderToString, sendAccessZip, summaryLocals } from './access-http.js';
import { retentionPreview } from './retention.js';
import { EraseConfirm } from './schemas.js';
import * as service from './service.js';

function idOr404(value: unknown): number {
  const id = idParam(value);
  if (id === undefined) throw new NotFound();
  return id;
}

/** Retention preview pages and the bureau's GDPR actions on a candidate (export, erasure). */
export function retentionRoutes(r: Router, ctx: AppContext): void {
  const { db, config } = ctx;
  const settings = { retentionMonths: config.retentionMonths, talentPoolMonths: config.talentPoolMonths };

  r.get('/organisations/:id/conservation', requireAuth, (req, res) => {
    const org = organisationById(db, idOr404(req.params.id));
    authorize(actor(req), 'retention.preview', org);
    res.render('privacy/retention', { area: { kind: 'org', id: org.id, name: (org as { name: string }).name }, rows: retentionPreview(db, [org.id], settings), ...settings });
  });

  r.get('/regions/:id/conservation', requireAuth, (req, res) => {
    const region = regionById(db, idOr404(req.params.id));
    if (!region || !regionIdsOf(actor(req)).includes(region.id)) throw new NotFound();
    const orgIds = organisationsOfRegions(db, [region.id]).map((o) => o.id);
    res.render('privacy/retention', { area: { kind: 'region', id: region.id, name: region.name }, rows: retentionPreview(db, orgIds, settings), ...settings });
  });

  /** The application as the anonymity rule lets this user see it (the erasure page names it). */
  const eraseView = (app: ReturnType<typeof service.gdprApplication>, t: Translate, userId: number) => {
    const identity = identityFor(db, app.id, userId);
    return maskedRow(t, { ...app, full_name: identity.full_name, masked: identity.masked, anon_number: identity.anon_number });
  };

  r.get('/recrutement/candidatures/:id/donnees.zip', requireAuth, async (req, res) => {
    const id = idOr404(req.params.id);
    service.gdprApplication(db, actor(req), id);
    // The copy holds the identity and the documents: during anonymised screening, only after
    // the bureau member has lifted the anonymity (an audited reveal).
    if (identityFor(db, id, actor(req).id).masked) {
      flash(req, 'error', 'pipeline.anon.exportRevealFirst');
      return res.redirect(303, `/recrutement/candidatures/${id}`);
    }
    const { app, data } = service.exportForBureau(db, actor(req), id, clientIp(req));
    const summary = await renderToString(res, 'privacy/access', { ...summaryLocals(res, data), standalone: true, backUrl: null });
    await sendAccessZip(res, `candidature-${app.id}.zip`, data, summary, config.uploadDir);
  });

  r.get('/recrutement/candidatures/:id/donnees', requireAuth, (req, res) => {
    const id = idOr404(req.params.id);
    service.gdprApplication(db, actor(req), id);
    if (identityFor(db, id, actor(req).id).masked) {
      flash(req, 'error', 'pipeline.anon.exportRevealFirst');
      return res.redirect(303, `/recrutement/candidatures/${id}`);
    }
    const { data } = service.exportForBureau(db, actor(req), id, clientIp(req));
    res.render('privacy/access', { ...summaryLocals(res, data), standalone: false, backUrl: `/recrutement/candidatures/${id}`, zipUrl: `/recrutement/candidatures/${id}/donnees.zip` });
  });

  r.get('/recrutement/candidatures/:id/effacer', requireAuth, (req, res) => {
    const app = service.gdprApplication(db, actor(req), idOr404(req.params.id));
    res.render('privacy/retention-erase', { a: eraseView(app, res.locals.t as Translate, actor(req).id), postings: service.postingsOf(db, service.personOfApplication(db, app)) });
  });

  r.post('/recrutement/candidatures/:id/effacer', requireAuth, (req, res) => {
    const id = idOr404(req.params.id);
    const app = service.gdprApplication(db, actor(req), id);
    parseInput(EraseConfirm, req.body, { view: 'privacy/retention-erase', locals: { a: eraseView(app, res.locals.t as Translate, actor(req).id), postings: service.postingsOf(db, service.personOfApplication(db, app)) } });
    service.eraseForBureau(db, actor(req), id, config.uploadDir, { translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });
    flash(req, 'success', 'gdpr.erased');
    res.redirect(`/recrutement/offres/${app.posting_id}`);
  });
}
