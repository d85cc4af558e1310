import { Router, type Request } from 'express';
import type { AppContext } from '../../app.js';
import { actor, requireAuth } from '../../core/auth.js';
import { flash, idOr404 } from '../../core/http.js';
import { icsContentType } from '../../core/ics.js';
import { parseInput } from '../../core/validate.js';
import { messages as networkMessages } from './messages.js';
import * as q from './queries.js';
import { CorrespondentSchema, EventSchema, INSTITUTIONS, PairingSchema, RsvpSchema } from './schemas.js';
import * as service from './service.js';

export const messages = networkMessages;


export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();

  r.get('/reseau', requireAuth, (req, res) => {
    const regions = service.networkRegions(db, actor(req));
    if (regions.length === 1) return res.redirect(`/reseau/${regions[0].id}`);
    res.render('network/index', { regions });
  });

  r.get('/reseau/:id', requireAuth, (req, res) => {
    res.render('network/directory', service.directory(db, actor(req), idOr404(req.params.id)));
  });

  // ---- correspondents -------------------------------------------------------------------------
  const correspondentView = 'network/correspondent';
  const newCorrespondentLocals = (req: Request) => {
    const region = service.managedRegion(db, actor(req), idOr404(req.params.id));
    return { region, departments: q.departmentsOfRegion(db, region.id), institutions: INSTITUTIONS, correspondent: undefined };
  };
  r.get('/reseau/:id/correspondants/nouveau', requireAuth, (req, res) => {
    const locals = newCorrespondentLocals(req);
    res.render(correspondentView, { ...locals, values: { institution: 'ars', department: locals.departments[0] ?? '' } });
  });
  r.post('/reseau/:id/correspondants', requireAuth, (req, res) => {
    const locals = newCorrespondentLocals(req);
    const form = { view: correspondentView, locals };
    const input = parseInput(CorrespondentSchema, req.body, form);
    service.addCorrespondent(db, actor(req), locals.region.id, input, form);
    flash(req, 'success', 'network.correspondent.saved');
    res.redirect(`/reseau/${locals.region.id}#correspondants`);
  });

  const editCorrespondentLocals = (req: Request) => {
    const correspondent = service.managedCorrespondent(db, actor(req), idOr404(req.params.id));
    const region = service.managedRegion(db, actor(req), correspondent.region_id);
    return { region, departments: q.departmentsOfRegion(db, region.id), institutions: INSTITUTIONS, correspondent };
  };
  r.get('/reseau/correspondants/:id/modifier', requireAuth, (req, res) => {
    const locals = editCorrespondentLocals(req);
    res.render(correspondentView, { ...locals, values: locals.correspondent });
  });
  r.post('/reseau/correspondants/:id/modifier', requireAuth, (req, res) => {
    const locals = editCorrespondentLocals(req);
    const form = { view: correspondentView, locals };
    const input = parseInput(CorrespondentSchema, req.body, form);
    service.updateCorrespondent(db, actor(req), locals.correspondent.id, input, form);
    flash(req, 'success', 'network.correspondent.saved');
    res.redirect(`/reseau/${locals.region.id}#correspondants`);
  });
  r.post('/reseau/correspondants/:id/supprimer', requireAuth, (req, res) => {
    const c = service.removeCorrespondent(db, actor(req), idOr404(req.params.id));
    flash(req, 'success', 'network.correspondent.removed');
    res.redirect(`/reseau/${c.region_id}#correspondants`);
  });

  // ---- mentors --------------------------------------------------------------------------------
  const pairingView = 'network/pairing';
  const pairingLocals = (req: Request) => service.pairingChoices(db, actor(req), idOr404(req.params.id));
  r.get('/reseau/:id/binomes/nouveau', requireAuth, (req, res) => {
    res.render(pairingView, { ...pairingLocals(req), values: {} });
  });
  r.post('/reseau/:id/binomes', requireAuth, (req, res) => {
    const locals = pairingLocals(req);
    const form = { view: pairingView, locals };
    const input = parseInput(PairingSchema, req.body, form);
    service.pairMentor(db, actor(req), locals.region.id, input, form);
    flash(req, 'success', 'network.pairing.saved');
    res.redirect(`/reseau/${locals.region.id}#binomes`);
  });
  r.post('/reseau/binomes/:id/terminer', requireAuth, (req, res) => {
    const regionId = service.endMentorPairing(db, actor(req), idOr404(req.params.id));
    flash(req, 'success', 'network.pairing.ended');
    res.redirect(`/reseau/${regionId}#binomes`);
  });

  // ---- events ---------------------------------------------------------------------------------
  const eventFormView = 'network/event-new';
  const eventFormLocals = (req: Request) => ({ region: service.managedRegion(db, actor(req), idOr404(req.params.id)) });
  r.get('/reseau/:id/evenements/nouveau', requireAuth, (req, res) => {
    res.render(eventFormView, { ...eventFormLocals(req), values: { kind: 'meeting', time: '14:00', duration_minutes: '120' } });
  });
  r.post('/reseau/:id/evenements', requireAuth, (req, res) => {
    const locals = eventFormLocals(req);
    const form = { view: eventFormView, locals };
    const input = parseInput(EventSchema, req.body, form);
    const id = service.createNetworkEvent(db, actor(req), locals.region.id, input, form);
    flash(req, 'success', 'network.event.created');
    res.redirect(`/reseau/evenements/${id}`);
  });

  // Before '/reseau/evenements/:id', which would take "12.ics" as an id.
  r.get('/reseau/evenements/:id.ics', requireAuth, (req, res) => {
    const event = service.viewableEvent(db, actor(req), idOr404(req.params.id));
    res.type(icsContentType());
    res.setHeader('Content-Disposition', `attachment; filename="evenement-${event.id}.ics"`);
    res.send(service.eventIcs(event, `${config.baseUrl}/reseau/evenements/${event.id}`));
  });

  r.get('/reseau/evenements/:id', requireAuth, (req, res) => {
    const page = service.eventPage(db, actor(req), idOr404(req.params.id));
    res.render('network/event', { ...page, values: { response: page.myResponse } });
  });

  r.post('/reseau/evenements/:id/reponse', requireAuth, (req, res) => {
    const eventId = idOr404(req.params.id);
    const me = actor(req);
    const form = (locals: Record<string, unknown>) => ({ view: 'network/event', locals });
    const input = parseInput(RsvpSchema, req.body, { view: 'network/event', locals: service.eventPage(db, me, eventId) });
    service.respondToEvent(db, me, eventId, input.response, form);
    flash(req, 'success', 'network.rsvp.saved');
    res.redirect(`/reseau/evenements/${eventId}`);
  });

  return r;
}
