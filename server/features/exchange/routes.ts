import { Router, type Request } from 'express';
import { icsContentType } from '../../core/ics.js';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { flash, idOr404, idParam } from '../../core/http.js';
import { parisDay } from '../../core/i18n.js';
import { parseInput } from '../../core/validate.js';
import { messages as exchangeMessages } from './messages.js';
import { FREQUENCIES } from './recurrence.js';
import { ActionSchema, ActionStatusSchema, AgendaItemSchema, MinutesSchema, SeriesSchema } from './schemas.js';
import * as service from './service.js';

export const messages = exchangeMessages;

export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  const mail = { baseUrl: config.baseUrl, translator: ctx.i18n.translator };
  const base = (orgId: number) => `/organisations/${orgId}/echange`;

  r.get('/organisations/:id/echange', requireAuth, (req, res) => {
    res.render('exchange/series', service.seriesPage(db, actor(req), idOr404(req.params.id)));
  });

  // Before '/organisations/:id/echange/:date'.
  r.get('/organisations/:id/echange.ics', requireAuth, (req, res) => {
    const ics = service.seriesCalendar(db, actor(req), idOr404(req.params.id), mail, res.locals.locale);
    res.type(icsContentType());
    res.setHeader('Content-Disposition', 'attachment; filename="point-bureau.ics"');
    res.send(ics);
  });

  const formView = 'exchange/series-form';
  const formLocals = (req: Request) => ({ ...service.seriesFormLocals(db, actor(req), idOr404(req.params.id)), frequencies: FREQUENCIES });

  r.get('/organisations/:id/echange/parametres', requireAuth, (req, res) => {
    const locals = formLocals(req);
    const values = locals.series
      ? service.seriesValues(db, locals.series)
      : {
          frequency: 'monthly',
          weekday: '2',
          start_time: '18:30',
          duration_minutes: '60',
          start_date: parisDay(),
          participant_ids: locals.members.map((m) => String(m.user_id)),
          plan_step_id: idParam(req.query.etape) ?? '',
        };
    res.render(formView, { ...locals, values });
  });

  r.post('/organisations/:id/echange/parametres', requireAuth, (req, res) => {
    const locals = formLocals(req);
    const form = { view: formView, locals };
    const input = parseInput(SeriesSchema, req.body, form);
    if (locals.series) {
      service.updateSeries(db, actor(req), locals.org.id, input, mail, form);
      flash(req, 'success', 'exchange.series.updated');
    } else {
      service.createSeries(db, actor(req), locals.org.id, input, mail, form);
      flash(req, 'success', 'exchange.series.created');
    }
    res.redirect(base(locals.org.id));
  });

  const meetingView = 'exchange/meeting';
  const meetingLocals = (req: Request) => service.meetingPage(db, actor(req), idOr404(req.params.id), String(req.params.date));

  r.get('/organisations/:id/echange/:date', requireAuth, (req, res) => {
    const locals = meetingLocals(req);
    res.render(meetingView, { ...locals, values: { minutes: locals.meeting?.minutes ?? '', decisions: locals.meeting?.decisions ?? '', due_date: locals.date } });
  });

  r.post('/organisations/:id/echange/:date/points', requireAuth, (req, res) => {
    const locals = meetingLocals(req);
    const input = parseInput(AgendaItemSchema, req.body, { view: meetingView, locals: { ...locals, formName: 'agenda' } });
    service.addAgendaItem(db, actor(req), locals.org.id, locals.date, input.body);
    flash(req, 'success', 'exchange.agenda.added');
    res.redirect(`${base(locals.org.id)}/${locals.date}#ordre-du-jour`);
  });

  r.post('/organisations/:id/echange/:date/compte-rendu', requireAuth, (req, res) => {
    const locals = meetingLocals(req);
    const input = parseInput(MinutesSchema, req.body, { view: meetingView, locals: { ...locals, formName: 'minutes' } });
    service.recordMinutes(db, actor(req), locals.org.id, locals.date, input);
    flash(req, 'success', 'exchange.minutes.saved');
    res.redirect(`${base(locals.org.id)}/${locals.date}#compte-rendu`);
  });

  r.post('/organisations/:id/echange/:date/actions', requireAuth, (req, res) => {
    const locals = meetingLocals(req);
    const form = { view: meetingView, locals: { ...locals, formName: 'action' } };
    const input = parseInput(ActionSchema, req.body, form);
    service.addAction(db, actor(req), locals.org.id, locals.date, input, form);
    flash(req, 'success', 'exchange.action.added');
    res.redirect(`${base(locals.org.id)}/${locals.date}#actions`);
  });

  r.post('/organisations/:id/echange/actions/:actionId/statut', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    const input = parseInput(ActionStatusSchema, req.body);
    service.setActionStatus(db, actor(req), orgId, idOr404(req.params.actionId), input.done);
    flash(req, 'success', input.done ? 'exchange.action.done' : 'exchange.action.reopened');
    res.redirect(input.back ? `${base(orgId)}/${input.back}#actions` : `${base(orgId)}#actions`);
  });

  return r;
}
