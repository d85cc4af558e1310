import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { formatDate, type Translate } from '../../core/i18n.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import { parseInput } from '../../core/validate.js';
import { displayName, maskedRow } from '../pipeline/anonymity.js';
import { messages as interviewMessages } from './messages.js';
import type { ConflictRow } from './queries.js';
import { CancelInterviewSchema, InterviewSchema } from './schemas.js';
import * as service from './service.js';
import { utcToParis } from './time.js';

export const messages = interviewMessages;


export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  r.use('/recrutement', requireAuth);
  const mailCtx = (req: Request) => ({ translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });

  /** The conflict warning: who is already in another interview then (scheduling went ahead). */
  const warnConflicts = (req: Request, res: Response, conflicts: ConflictRow[]) => {
    if (!conflicts.length) return;
    const t = res.locals.t as Translate;
    const names = [...new Set(conflicts.map((c) => `${c.name} (${formatDate(c.starts_at, res.locals.locale, true)})`))].join(', ');
    flash(req, 'error', t('interviews.conflict', { names }));
  };

  const listView = 'interviews/list';
  const listLocals = (req: Request, id: number) => {
    const page = service.interviewsPage(db, actor(req), id);
    const t = ctx.i18n.translator(req.user?.locale ?? 'fr');
    return { ...page, app: maskedRow(t, page.app), label: displayName(t, page.app) };
  };

  r.get('/recrutement/candidatures/:applicationId/entretiens', (req, res) => {
    const locals = listLocals(req, idOr404(req.params.applicationId));
    res.render(listView, { ...locals, values: { mode: 'place', start_time: '14:00', end_time: '15:00', attendees: locals.panel.map((m) => String(m.user_id)) } });
  });

  r.post('/recrutement/candidatures/:applicationId/entretiens', (req, res) => {
    const id = idOr404(req.params.applicationId);
    const locals = listLocals(req, id);
    if (!locals.mayConfigure) throw new NotFound();
    const form = { view: listView, locals: { ...locals, values: req.body ?? {} } };
    const input = parseInput(InterviewSchema, req.body, form);
    const result = service.scheduleInterview(db, actor(req), id, input, mailCtx(req), form);
    flash(req, 'success', 'interviews.scheduled');
    warnConflicts(req, res, result.conflicts);
    res.redirect(303, `/recrutement/candidatures/${id}/entretiens`);
  });

  const editView = 'interviews/edit';
  const editLocals = (req: Request) => {
    const page = service.interviewForEdit(db, actor(req), idOr404(req.params.id));
    const t = ctx.i18n.translator(req.user?.locale ?? 'fr');
    return { ...page, app: maskedRow(t, page.app), label: displayName(t, page.app) };
  };

  r.get('/recrutement/entretiens/:id/modifier', (req, res) => {
    const locals = editLocals(req);
    const i = locals.interview;
    const start = utcToParis(new Date(i.starts_at));
    res.render(editView, {
      ...locals,
      values: {
        date: start.date,
        start_time: start.time,
        end_time: utcToParis(new Date(i.ends_at)).time,
        mode: i.mode,
        location: i.location,
        video_url: i.video_url,
        attendees: locals.attendees.map((a) => String(a.user_id)),
        expected_sequence: i.sequence,
      },
    });
  });

  r.post('/recrutement/entretiens/:id/modifier', (req, res) => {
    const locals = editLocals(req);
    const form = { view: editView, locals: { ...locals, values: req.body ?? {} } };
    const input = parseInput(InterviewSchema, req.body, form);
    try {
      const result = service.rescheduleInterview(db, actor(req), locals.interview.id, input, mailCtx(req), form);
      flash(req, 'success', 'interviews.rescheduled');
      warnConflicts(req, res, result.conflicts);
      res.redirect(303, `/recrutement/candidatures/${result.applicationId}/entretiens`);
    } catch (err) {
      if (err instanceof service.StaleInterview) throw new Invalid({ _form: 'interviews.errors.stale' }, editView, form.locals, 409);
      throw err;
    }
  });

  const cancelView = 'interviews/cancel';
  const cancelLocals = (req: Request) => {
    const page = service.interviewForCancel(db, actor(req), idOr404(req.params.id));
    const t = ctx.i18n.translator(req.user?.locale ?? 'fr');
    return { ...page, app: maskedRow(t, page.app), label: displayName(t, page.app) };
  };

  r.get('/recrutement/entretiens/:id/annuler', (req, res) => {
    res.render(cancelView, { ...cancelLocals(req), values: {} });
  });

  r.post('/recrutement/entretiens/:id/annuler', (req, res) => {
    const locals = cancelLocals(req);
    const input = parseInput(CancelInterviewSchema, req.body, { view: cancelView, locals });
    try {
      const result = service.cancelInterview(db, actor(req), locals.interview.id, mailCtx(req), new Date(), input.reason);
      flash(req, 'success', 'interviews.cancelled');
      res.redirect(303, `/recrutement/candidatures/${result.applicationId}/entretiens`);
    } catch (err) {
      if (!(err instanceof service.StaleInterview)) throw err;
      res.status(409).render('errors/error', { status: 409 });
    }
  });

  return r;
}
