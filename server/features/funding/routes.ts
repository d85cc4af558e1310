import { Router, type Request } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { flash, idOr404 } from '../../core/http.js';
import { parseInput } from '../../core/validate.js';
import { managedPosting } from '../jobs/service.js';
import { messages as fundingMessages } from './messages.js';
import { CommitmentSchema, EnvelopeQuerySchema, NewCommitmentQuerySchema, EnvelopeSchema, ProfileSchema, SheetQuerySchema } from './schemas.js';
import * as service from './service.js';

export const messages = fundingMessages;

export function router(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();

  // ---- the CPTS's contract and committed costs (its bureau) ----------------------------------
  const orgView = 'funding/organisation';
  const orgLocals = (req: Request) => ({ ...service.costsPage(db, actor(req), idOr404(req.params.id)), sizes: service.SIZES });

  r.get('/organisations/:id/financement', requireAuth, (req, res) => {
    const locals = orgLocals(req);
    res.render(orgView, { ...locals, values: service.profileFormValues(locals) });
  });

  r.post('/organisations/:id/financement/contrat', requireAuth, (req, res) => {
    const locals = orgLocals(req);
    const input = parseInput(ProfileSchema, req.body, { view: orgView, locals });
    service.saveProfile(db, actor(req), locals.org.id, input);
    flash(req, 'success', 'funding.org.profileSaved');
    res.redirect(`/organisations/${locals.org.id}/financement`);
  });

  const commitmentView = 'funding/commitment';
  r.get('/organisations/:id/financement/charges/nouvelle', requireAuth, (req, res) => {
    const org = service.costsOrganisation(db, actor(req), idOr404(req.params.id));
    const kind = NewCommitmentQuerySchema.parse(req.query).type === 'autre' ? 'other' : 'post';
    res.render(commitmentView, { org, commitment: undefined, values: { kind } });
  });

  r.post('/organisations/:id/financement/charges', requireAuth, (req, res) => {
    const org = service.costsOrganisation(db, actor(req), idOr404(req.params.id));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { ...body, kind: body.kind === 'other' ? 'other' : 'post' };
    const input = parseInput(CommitmentSchema, body, { view: commitmentView, locals: { org, commitment: undefined, values } });
    service.addCommitment(db, actor(req), org.id, input);
    flash(req, 'success', 'funding.org.commitmentAdded');
    res.redirect(`/organisations/${org.id}/financement#charges`);
  });

  r.get('/organisations/:id/financement/charges/:cid', requireAuth, (req, res) => {
    const { org, commitment } = service.editableCommitment(db, actor(req), idOr404(req.params.id), idOr404(req.params.cid));
    res.render(commitmentView, { org, commitment, values: service.commitmentFormValues(commitment) });
  });

  r.post('/organisations/:id/financement/charges/:cid', requireAuth, (req, res) => {
    const { org, commitment } = service.editableCommitment(db, actor(req), idOr404(req.params.id), idOr404(req.params.cid));
    // The kind of a cost does not change: remove it and add the other kind instead.
    const body = { ...((req.body ?? {}) as Record<string, unknown>), kind: commitment.kind };
    const input = parseInput(CommitmentSchema, body, { view: commitmentView, locals: { org, commitment, values: body } });
    service.updateCommitment(db, actor(req), org.id, commitment.id, input);
    flash(req, 'success', 'funding.org.commitmentSaved');
    res.redirect(`/organisations/${org.id}/financement#charges`);
  });

  r.post('/organisations/:id/financement/charges/:cid/supprimer', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    service.removeCommitment(db, actor(req), orgId, idOr404(req.params.cid));
    flash(req, 'success', 'funding.org.commitmentRemoved');
    res.redirect(`/organisations/${orgId}/financement#charges`);
  });

  // ---- the printable sheet for a bureau meeting ---------------------------------------------------
  r.get('/organisations/:id/financement/fiche', requireAuth, (req, res) => {
    const me = actor(req);
    const orgId = idOr404(req.params.id);
    const { offre } = SheetQuerySchema.parse(req.query);
    const posting = offre === undefined ? undefined : managedPosting(db, me, offre).posting;
    const check = service.sheet(db, me, orgId, posting);
    res.render('funding/sheet', { check, today: new Date().toISOString() });
  });

  // ---- the region's envelope amounts (chargés de mission, admin) ----------------------------------
  const regionView = 'funding/region';
  const regionLocals = (req: Request) => ({ ...service.envelopesPage(db, actor(req), idOr404(req.params.id)), sizes: service.SIZES });

  r.get('/regions/:id/financement', requireAuth, (req, res) => {
    const locals = regionLocals(req);
    const query = EnvelopeQuerySchema.parse(req.query);
    const values = service.envelopeFormValues(locals, query.taille ? Number(query.taille) : undefined, query.annee ? Number(query.annee) : undefined);
    res.render(regionView, { ...locals, values });
  });

  r.post('/regions/:id/financement', requireAuth, (req, res) => {
    const locals = regionLocals(req);
    const input = parseInput(EnvelopeSchema, req.body, { view: regionView, locals });
    service.saveEnvelope(db, actor(req), locals.region.id, input);
    flash(req, 'success', 'funding.region.saved');
    res.redirect(`/regions/${locals.region.id}/financement`);
  });

  r.post('/regions/:id/financement/:eid/supprimer', requireAuth, (req, res) => {
    const regionId = idOr404(req.params.id);
    service.removeEnvelope(db, actor(req), regionId, idOr404(req.params.eid));
    flash(req, 'success', 'funding.region.removed');
    res.redirect(`/regions/${regionId}/financement`);
  });

  return r;
}
