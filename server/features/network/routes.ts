import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { NotFound } from '../../core/errors.js';
import { flash, idOr404 } from '../../core/http.js';
import { icsContentType } from '../../core/ics.js';
import { parseInput } from '../../core/validate.js';
import { messages as networkMessages } from './messages.js';
import * as q from './queries.js';
import { CorrespondentSchema, EventSchema, INSTITUTIONS, PairingSchema, ProfileSchema, RsvpSchema } from './schemas.js';
import * as events from './events.js';
import { networkEventIcs } from './ics.js';
import * as service from './service.js';

export const messages = networkMessages;


export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  const mailCtx = { baseUrl: config.baseUrl, translator: ctx.i18n.translator };

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
    service.pairMentor(db, actor(req), locals.region.id, input, mailCtx, form);
    flash(req, 'success', 'network.pairing.saved');
    res.redirect(`/reseau/${locals.region.id}#binomes`);
  });
  r.post('/reseau/binomes/:id/terminer', requireAuth, (req, res) => {
    const regionId = service.endMentorPairing(db, actor(req), idOr404(req.params.id));
    flash(req, 'success', 'network.pairing.ended');
    res.redirect(`/reseau/${regionId}#binomes`);
  });

  // ---- my network profile ----------------------------------------------------------------------
  r.post('/reseau/profil/coordonnees', requireAuth, (req, res) => {
    const me = actor(req);
    const input = parseInput(ProfileSchema, req.body, { view: 'network/profile', locals: { profile: service.myProfile(db, me) } });
    service.saveProfile(db, me, input.phone);
    flash(req, 'success', 'network.profile.saved');
    res.redirect('/reseau/profil/coordonnees');
  });
  r.get('/reseau/profil/coordonnees', requireAuth, (req, res) => {
    const profile = service.myProfile(db, actor(req));
    res.render('network/profile', { profile, values: profile });
  });

  // ---- events ---------------------------------------------------------------------------------
  const eventFormView = 'network/event-new';
  const regionEventLocals = (req: Request) => {
    const region = service.managedRegion(db, actor(req), idOr404(req.params.id));
    return { region, organisations: q.organisationsOfRegion(db, region.id), event: undefined };
  };
  r.get('/reseau/:id/evenements/nouveau', requireAuth, (req, res) => {
    res.render(eventFormView, { ...regionEventLocals(req), values: { kind: 'meeting', time: '14:00', end_time: '17:00', audience: 'region', organisation_ids: [] } });
  });
  r.post('/reseau/:id/evenements', requireAuth, (req, res) => {
    const locals = regionEventLocals(req);
    const form = { view: eventFormView, locals };
    const input = parseInput(EventSchema, req.body, form);
    const id = events.createNetworkEvent(db, actor(req), locals.region.id, input, mailCtx, form);
    flash(req, 'success', 'network.event.created');
    res.redirect(`/reseau/evenements/${id}`);
  });

  const editEventLocals = (req: Request) => {
    const event = events.managedEvent(db, actor(req), idOr404(req.params.id));
    if (event.cancelled_at) throw new NotFound();
    const region = service.managedRegion(db, actor(req), event.region_id);
    return { region, organisations: q.organisationsOfRegion(db, region.id), event };
  };
  r.get('/reseau/evenements/:id/modifier', requireAuth, (req, res) => {
    const locals = editEventLocals(req);
    res.render(eventFormView, { ...locals, values: events.eventFormValues(db, locals.event) });
  });
  r.post('/reseau/evenements/:id/modifier', requireAuth, (req, res) => {
    const locals = editEventLocals(req);
    const form = { view: eventFormView, locals };
    const input = parseInput(EventSchema, req.body, form);
    events.updateNetworkEvent(db, actor(req), locals.event.id, input, mailCtx, form);
    flash(req, 'success', 'network.event.updated');
    res.redirect(`/reseau/evenements/${locals.event.id}`);
  });
  r.post('/reseau/evenements/:id/annuler', requireAuth, (req, res) => {
    const eventId = idOr404(req.params.id);
    events.cancelNetworkEvent(db, actor(req), eventId, mailCtx);
    flash(req, 'success', 'network.event.cancelled');
    res.redirect(`/reseau/evenements/${eventId}`);
  });

  // Before '/reseau/evenements/:id', which would take "12.ics" as an id.
  r.get('/reseau/evenements/:id.ics', requireAuth, (req, res) => {
    const event = events.viewableEvent(db, actor(req), idOr404(req.params.id));
    res.type(icsContentType());
    res.setHeader('Content-Disposition', `attachment; filename="evenement-${event.id}.ics"`);
    res.send(networkEventIcs(event, { url: `${config.baseUrl}/reseau/evenements/${event.id}`, videoLabel: res.locals.t('network.event.videoLabel') }));
  });

  r.get('/reseau/evenements/:id', requireAuth, (req, res) => {
    const page = events.eventPage(db, actor(req), idOr404(req.params.id));
    res.render('network/event', { ...page, values: { response: page.myResponse } });
  });

  r.post('/reseau/evenements/:id/reponse', requireAuth, (req, res) => {
    const eventId = idOr404(req.params.id);
    const me = actor(req);
    const form = (locals: Record<string, unknown>) => ({ view: 'network/event', locals });
    const input = parseInput(RsvpSchema, req.body, { view: 'network/event', locals: events.eventPage(db, me, eventId) });
    events.respondToEvent(db, me, eventId, input.response, form);
    flash(req, 'success', 'network.rsvp.saved');
    res.redirect(`/reseau/evenements/${eventId}`);
  });

  // ---- answering from the mail, without an account session ------------------------------------
  // The GET shows a confirmation page whose form carries this visitor's CSRF token; only the POST
  // records the answer, so a mail scanner following links changes nothing.
  const answerView = 'network/answer';
  const invalidLink = (err: unknown, res: Response) => {
    if (!(err instanceof NotFound)) throw err;
    res.status(404).render('network/answer-invalid');
  };
  r.get('/reseau/invitation/:token', (req, res) => {
    let link: ReturnType<typeof events.answerLink>;
    try {
      link = events.answerLink(db, String(req.params.token));
    } catch (err) {
      return invalidLink(err, res);
    }
    const wanted = typeof req.query.reponse === 'string' && (events.RESPONSES as readonly string[]).includes(req.query.reponse) ? req.query.reponse : link.current;
    res.setHeader('Cache-Control', 'no-store');
    res.render(answerView, { ...link, token: req.params.token, values: { response: wanted } });
  });
  r.post('/reseau/invitation/:token', (req, res) => {
    const token = String(req.params.token);
    let link: ReturnType<typeof events.answerLink>;
    try {
      link = events.answerLink(db, token);
    } catch (err) {
      return invalidLink(err, res);
    }
    const locals = { ...link, token };
    const input = parseInput(RsvpSchema, req.body, { view: answerView, locals });
    events.answerByLink(db, token, input.response, (l) => ({ view: answerView, locals: { ...l, token } }));
    flash(req, 'success', 'network.rsvp.saved');
    res.redirect(303, `/reseau/invitation/${token}`);
  });

  return r;
}
