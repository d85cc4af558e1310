import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { formatDate } from '../../core/i18n.js';
import { icsContentType } from '../../core/ics.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import type { Actor } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { resolveLink } from '../applications/service.js';
import { TOKEN_PATTERN as CANDIDATE_TOKEN } from '../applications/schemas.js';
import { displayName } from '../pipeline/anonymity.js';
import { utcToParis } from '../interviews/time.js';
import * as feed from './feed.js';
import { messages as schedulingMessages } from './messages.js';
import { AnswersSchema, ChooseSlotSchema, InviteCandidatesSchema, PollSettingsSchema, SlotBatchSchema, TOKEN_PATTERN } from './schemas.js';
import * as service from './service.js';

export const messages = schedulingMessages;

/** The Paris wall-clock time of an instant (HH:MM), for slot lists grouped by day. */
const timeOf = (iso: string) => utcToParis(new Date(iso)).time;

export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  r.use('/recrutement', requireAuth);
  r.use('/compte/agenda', requireAuth);
  const mailCtx = (req: Request) => ({ translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });

  // ---- the poll (bureau, chargés de mission, panel members) ---------------------------------
  const pollView = 'scheduling/poll';
  /** The poll as this viewer may see it; candidates named through the evaluation's identity helper (anonymity). */
  const pollLocals = (response: Response, viewer: Actor, postingId: number) => ({ ...service.pollPage(db, viewer, postingId), nameOf: (row: Parameters<typeof displayName>[1]) => displayName(response.locals.t, row), timeOf });
  const pollPath = (id: number) => `/recrutement/offres/${id}/disponibilites`;
  const defaults = { dates: [], from: '14:00', to: '18:00', duration: '45', gap: '15', mode: 'place' };
  const settingsValues = (poll: { quorum: number; chair_required: number; deadline_hours: number }) => ({
    quorum: String(poll.quorum),
    chair_required: poll.chair_required ? '1' : '',
    deadline_hours: String(poll.deadline_hours),
  });
  /** The poll page for a form that failed: every form keeps its own values. */
  const formFor = (req: Request, response: Response, postingId: number, which: 'slots' | 'settings' | 'answers' | 'send' | 'invite') => {
    const locals = pollLocals(response, actor(req), postingId);
    return {
      view: pollView,
      locals: { ...locals, failed: which, slotValues: which === 'slots' ? (req.body ?? {}) : defaults, settings: which === 'settings' ? (req.body ?? {}) : settingsValues(locals.poll) },
    };
  };

  r.get('/recrutement/offres/:postingId/disponibilites', (req, response) => {
    const locals = pollLocals(response, actor(req), idOr404(req.params.postingId));
    response.render(pollView, { ...locals, failed: '', slotValues: defaults, settings: settingsValues(locals.poll) });
  });

  r.post('/recrutement/offres/:postingId/disponibilites/creneaux', (req, response) => {
    const postingId = idOr404(req.params.postingId);
    const form = formFor(req, response, postingId, 'slots');
    if (!form.locals.mayConfigure) throw new NotFound();
    const input = parseInput(SlotBatchSchema, req.body, form);
    const n = service.addSlots(db, actor(req), postingId, input, form);
    flash(req, 'success', response.locals.t('scheduling.added', { n }));
    response.redirect(303, pollPath(postingId));
  });

  r.post('/recrutement/offres/:postingId/disponibilites/creneaux/:slotId/retirer', (req, response) => {
    const postingId = idOr404(req.params.postingId);
    const result = service.removeSlot(db, actor(req), postingId, idOr404(req.params.slotId), mailCtx(req));
    flash(req, 'success', result.told ? 'scheduling.removedTold' : 'scheduling.removed');
    response.redirect(303, pollPath(postingId));
  });

  r.post('/recrutement/offres/:postingId/disponibilites/reglages', (req, response) => {
    const postingId = idOr404(req.params.postingId);
    const form = formFor(req, response, postingId, 'settings');
    if (!form.locals.mayConfigure) throw new NotFound();
    const input = parseInput(PollSettingsSchema, req.body, form);
    service.updatePollSettings(db, actor(req), postingId, input, form);
    flash(req, 'success', 'scheduling.settings.saved');
    response.redirect(303, pollPath(postingId));
  });

  r.post('/recrutement/offres/:postingId/disponibilites/reponses', (req, response) => {
    const postingId = idOr404(req.params.postingId);
    const form = formFor(req, response, postingId, 'answers');
    if (!form.locals.member) throw new NotFound();
    const answers = parseInput(AnswersSchema, req.body, form);
    const lost = service.saveAnswers(db, actor(req), postingId, answers, form, mailCtx(req));
    flash(req, 'success', lost.length ? 'scheduling.mine.savedQuorumLost' : 'scheduling.mine.saved');
    response.redirect(303, pollPath(postingId));
  });

  r.post('/recrutement/offres/:postingId/disponibilites/envoyer', (req, response) => {
    const postingId = idOr404(req.params.postingId);
    const form = formFor(req, response, postingId, 'send');
    if (!form.locals.mayConfigure) throw new NotFound();
    const n = service.sendPollLinks(db, actor(req), postingId, mailCtx(req), form);
    flash(req, 'success', response.locals.t('scheduling.sent', { n }));
    response.redirect(303, pollPath(postingId));
  });

  r.post('/recrutement/offres/:postingId/disponibilites/candidats', (req, response) => {
    const postingId = idOr404(req.params.postingId);
    const form = formFor(req, response, postingId, 'invite');
    if (!form.locals.mayConfigure) throw new NotFound();
    const input = parseInput(InviteCandidatesSchema, req.body, form);
    const n = service.inviteCandidates(db, actor(req), postingId, input.applications, mailCtx(req), form);
    flash(req, 'success', response.locals.t('scheduling.invited', { n }));
    response.redirect(303, pollPath(postingId));
  });

  // ---- the signed poll link (no login: outside evaluators too) -------------------------------
  const panelView = 'scheduling/panel-link';
  function panelLink(req: Request, response: Response) {
    response.set('Cache-Control', 'no-store');
    const token = req.params.token;
    const link = typeof token === 'string' && TOKEN_PATTERN.test(token) ? service.resolvePanelLink(db, token) : ({ state: 'unknown' } as const);
    if (link.state !== 'valid') {
      response.status(link.state === 'unknown' ? 404 : 410).render('scheduling/link-invalid', { state: link.state });
      return undefined;
    }
    return link;
  }
  const panelLocals = (req: Request, response: Response, member: Actor, postingId: number) => ({ ...pollLocals(response, member, postingId), token: req.params.token, asMember: member });

  r.get('/disponibilites/:token', (req, response) => {
    const link = panelLink(req, response);
    if (!link) return;
    response.render(panelView, panelLocals(req, response, link.member, link.postingId));
  });

  r.post('/disponibilites/:token', (req, response) => {
    const link = panelLink(req, response);
    if (!link) return;
    const form = { view: panelView, locals: panelLocals(req, response, link.member, link.postingId) };
    const answers = parseInput(AnswersSchema, req.body, form);
    const lost = service.saveAnswers(db, link.member, link.postingId, answers, form, mailCtx(req));
    flash(req, 'success', lost.length ? 'scheduling.mine.savedQuorumLost' : 'scheduling.mine.saved');
    response.redirect(303, `/disponibilites/${req.params.token}`);
  });

  // ---- the candidate, through their private link ----------------------------------------------
  const chooseView = 'scheduling/choose';
  function candidateLink(req: Request, response: Response) {
    response.set('Cache-Control', 'no-store');
    const token = req.params.token;
    if (typeof token !== 'string' || !CANDIDATE_TOKEN.test(token)) throw new NotFound();
    const link = resolveLink(db, token);
    if (link.state !== 'valid') {
      response.status(link.state === 'unknown' ? 404 : 410).render('applications/link-invalid', { state: link.state });
      return undefined;
    }
    const scheduling = service.candidateScheduling(db, link.application.id);
    if (!scheduling) throw new NotFound();
    if (scheduling.closed) {
      response.status(410).render('scheduling/closed', { a: link.application, token });
      return undefined;
    }
    return { application: link.application, scheduling, token };
  }

  r.get('/candidature/:token/entretien', (req, response) => {
    const link = candidateLink(req, response);
    if (!link) return;
    response.render(chooseView, { a: link.application, s: link.scheduling, token: link.token, timeOf });
  });

  /** Refusals of a choice, as the page again with the remaining slots and a message. */
  const refusal = (err: unknown): string | undefined => {
    if (err instanceof service.SlotTaken) return 'scheduling.candidate.taken';
    if (err instanceof service.SlotUnavailable) return 'scheduling.candidate.unavailable';
    if (err instanceof service.DeadlinePassed) return 'scheduling.candidate.tooLate';
    if (err instanceof service.NoOrganiser) return 'scheduling.candidate.noOrganiser';
    return undefined;
  };

  r.post('/candidature/:token/entretien', (req, response) => {
    const link = candidateLink(req, response);
    if (!link) return;
    const locals = { a: link.application, s: link.scheduling, token: link.token, timeOf };
    const input = parseInput(ChooseSlotSchema, req.body, { view: chooseView, locals });
    try {
      service.chooseSlot(db, link.application.id, input.slot_id, mailCtx(req));
    } catch (err) {
      if (err instanceof service.ApplicationClosed) return response.status(410).render('scheduling/closed', { a: link.application, token: link.token });
      const message = refusal(err);
      if (!message) throw err;
      throw new Invalid({ slot_id: message }, chooseView, { ...locals, s: service.candidateScheduling(db, link.application.id) ?? link.scheduling }, 409);
    }
    const booked = service.candidateScheduling(db, link.application.id)?.booked;
    flash(req, 'success', response.locals.t('scheduling.candidate.chosen', { when: booked ? formatDate(booked.starts_at, response.locals.locale, true) : '' }));
    response.redirect(303, `/candidature/${link.token}/entretien`);
  });

  r.post('/candidature/:token/entretien/annuler', (req, response) => {
    const link = candidateLink(req, response);
    if (!link) return;
    try {
      service.cancelBooking(db, link.application.id, mailCtx(req));
    } catch (err) {
      if (err instanceof service.ApplicationClosed) return response.status(410).render('scheduling/closed', { a: link.application, token: link.token });
      const message = refusal(err);
      if (!message) throw err;
      throw new Invalid({ _form: message }, chooseView, { a: link.application, s: link.scheduling, token: link.token, timeOf }, 409);
    }
    flash(req, 'success', 'scheduling.candidate.cancelled');
    response.redirect(303, `/candidature/${link.token}/entretien`);
  });

  // ---- the calendar feed ----------------------------------------------------------------------
  r.post('/compte/agenda', (req, response) => {
    const token = feed.regenerateFeed(db, actor(req));
    const https = `${config.baseUrl}/agenda/${token}.ics`;
    response.set('Cache-Control', 'no-store');
    response.render('scheduling/feed-created', { https, webcal: https.replace(/^https?:/, 'webcal:') });
  });

  r.post('/compte/agenda/revoquer', (req, response) => {
    feed.revokeFeed(db, actor(req));
    flash(req, 'success', 'scheduling.account.revoked');
    response.redirect(303, '/compte');
  });

  r.get('/agenda/:token.ics', (req, response) => {
    response.set('Cache-Control', 'no-store');
    const member = feed.feedOwner(db, String(req.params.token));
    if (!member) throw new NotFound();
    response.type(icsContentType());
    response.setHeader('Content-Disposition', 'inline; filename="coordo.ics"');
    response.send(feed.feedCalendar(db, member, { t: ctx.i18n.translator(member.locale), baseUrl: config.baseUrl }));
  });

  return r;
}
