import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { visibleScores } from '../evaluation/service.js';
import { upcomingInterviewsOf } from '../interviews/service.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { Locale, Translate } from '../../core/i18n.js';
import { clientIp, flash, idOr404, idParam } from '../../core/http.js';
import { authorize } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { documentForDownload } from '../applications/service.js';
import { organisationById } from '../organisations/queries.js';
import { messages as pipelineMessages } from './messages.js';
import { displayName, documentName, maskedRow, presentIdentity } from './anonymity.js';
import * as q from './queries.js';
import {
  AnonymisationSchema,
  BulkSchema,
  ListQuerySchema,
  MoveSchema,
  NoteSchema,
  MAIL_TIMINGS,
  REJECTION_MAILS,
  REJECTION_REASONS,
  RejectSchema,
  StageNameSchema,
  StageOrderSchema,
  TemplateKeySchema,
  TemplateLanguageQuery,
  TemplateSchema,
  type ListQuery,
} from './schemas.js';
import * as service from './service.js';
import { candidateViewModel } from './candidate-view.js';
import { screeningRouter } from './screening-routes.js';
import { answersOfApplications, questionsOf, redactAnswers } from '../questions/service.js';
import { renderTemplate, SAMPLE_VALUES, TEMPLATE_VARIABLES } from './templates.js';
import { candidateMailMessages } from './candidate-mail-messages.js';
import { waitingMessages } from './waiting-messages.js';
import { candidateMailRoutes, presentPending } from './mail-routes.js';
import { pendingMails } from './candidate-mails.js';

export const messages = {
  fr: { ...pipelineMessages.fr, ...candidateMailMessages.fr, ...waitingMessages.fr },
  en: { ...pipelineMessages.en, ...candidateMailMessages.en, ...waitingMessages.en },
};

const PAGE_SIZE = 25;


/** The board's script asks for JSON; without JavaScript the same routes redirect. */
const wantsJson = (req: Request) => (req.get('accept') ?? '').startsWith('application/json');

/** How a row is named for this user: the anonymised label during anonymised screening. */
const nameOf = (t: Translate) => (row: { masked: number; anon_number: number; full_name: string }) => displayName(t, row);

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** Only our own pages are followed after a form: never another site. */
function safeBack(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/recrutement\/[\w\-/?=&%.+:#]*$/.test(value) && !value.includes('//') ? value : fallback;
}

function queryString(query: ListQuery, omit: string[] = []): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '' || omit.includes(k)) continue;
    if (k === 'tri' && v === 'date') continue;
    if (k === 'ordre' && v === 'desc') continue;
    if (k === 'page' && v === 1) continue;
    params.set(k, String(v));
  }
  return params.toString();
}

export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  r.use('/recrutement', requireAuth);
  r.use(screeningRouter(ctx));
  candidateMailRoutes(r, ctx);
  // Each mail is written in its recipient's language (core/mail-locale.ts).
  const mailCtx = (req: Request) => ({ translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });

  // ---- Board -------------------------------------------------------------------------------
  r.get('/recrutement/offres/:postingId', (req, res) => {
    const board = service.boardOf(db, actor(req), idOr404(req.params.postingId));
    // Score badges for the cards shown only (a column shows 25 of its cards).
    const shown = board.columns.flatMap((c) => c.cards.map((card) => card.application_id));
    res.render('pipeline/board', { ...board, scores: visibleScores(db, actor(req), [board.posting.id], shown), nameOf: nameOf(res.locals.t), boardScript: true });
  });

  // ---- Lists -------------------------------------------------------------------------------
  function renderList(req: Request, res: Response, scope: { org: { id: number; name: string; region_id: number }; posting?: q.PostingRow }, extra: Record<string, unknown> = {}) {
    const me = actor(req);
    const query = parseInput(ListQuerySchema, req.query);
    const filter: q.ListFilter = {
      organisationId: scope.org.id,
      postingId: scope.posting?.id ?? query.offre,
      stageName: query.etape || undefined,
      from: query.du ? `${query.du}T00:00:00.000Z` : undefined,
      to: query.au ? nextDay(query.au) : undefined,
      q: query.q || undefined,
      scored: query.note === undefined ? undefined : query.note === 'avec',
      knockedOut: query.critere === undefined ? undefined : query.critere === 'non_rempli',
      answer: query.reponse ? { questionId: Number(query.reponse.slice(0, query.reponse.indexOf(':'))), value: query.reponse.slice(query.reponse.indexOf(':') + 1) } : undefined,
      sort: query.tri,
      order: query.ordre,
      userId: me.id,
    };
    const total = q.countList(db, filter);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const page = Math.min(query.page, pages);
    const base = scope.posting ? `/recrutement/offres/${scope.posting.id}/liste` : `/recrutement/organisations/${scope.org.id}/candidatures`;
    const qs = queryString(query, ['page']);
    const rows = q.pageOfList(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    const stageNames = scope.posting ? q.stagesOfPosting(db, scope.posting.id).map((s) => s.name) : q.stageNamesOfOrganisation(db, scope.org.id);
    res.status(extra.errors ? 422 : 200).render('pipeline/list', {
      org: scope.org,
      posting: scope.posting ?? null,
      postings: scope.posting ? [] : q.postingsOfOrganisation(db, scope.org.id),
      stageNames,
      // The answer filter offers the posting's yes/no and choice questions (free text is not a filter).
      questions: scope.posting ? questionsOf(db, scope.posting.id).filter((x) => x.kind !== 'short_text') : [],
      rows,
      // One pass per posting on the page (not per row), with the panel's independence rule.
      scores: visibleScores(db, me, rows.map((r) => r.posting_id), rows.map((r) => r.application_id)),
      query,
      total,
      page,
      pages,
      base,
      self: qs ? `${base}?${qs}&page=${page}` : `${base}?page=${page}`,
      pageBase: qs ? `${base}?${qs}&` : `${base}?`,
      ...service.permissionsFor(me, scope.org),
      nameOf: nameOf(res.locals.t),
      reasons: REJECTION_REASONS,
      rejectionMails: REJECTION_MAILS,
      mailTimings: MAIL_TIMINGS,
      ...extra,
    });
  }

  r.get('/recrutement/offres/:postingId/liste', (req, res) => {
    const posting = service.viewablePosting(db, actor(req), idOr404(req.params.postingId));
    renderList(req, res, { org: { id: posting.organisation_id, name: posting.org_name, region_id: posting.region_id }, posting });
  });

  const orgOr404 = (req: Request) => {
    const org = organisationById(db, idOr404(req.params.orgId));
    authorize(req.user, 'pipeline.view', org);
    return org;
  };

  r.get('/recrutement/organisations/:orgId/candidatures', (req, res) => {
    renderList(req, res, { org: orgOr404(req) });
  });

  r.post('/recrutement/organisations/:orgId/candidatures/lot', (req, res) => {
    const org = orgOr404(req);
    const me = actor(req);
    if (!service.mayMove(me, org)) throw new NotFound();
    const back = safeBack(req.body?.retour, `/recrutement/organisations/${org.id}/candidatures`);
    const locals = { org, back, reasons: REJECTION_REASONS, rejectionMails: REJECTION_MAILS, mailTimings: MAIL_TIMINGS, stageNames: q.stageNamesOfOrganisation(db, org.id) };
    const input = parseInput(BulkSchema, req.body, { view: 'pipeline/bulk', locals });
    try {
      const result = service.bulkAction(db, me, org.id, input, mailCtx(req), { view: 'pipeline/bulk', locals: { ...locals, values: req.body } });
      const t = res.locals.t as Translate;
      flash(
        req,
        'success',
        input.action === 'move'
          ? t('pipeline.movedBulk', { n: result.count, stage: result.stageName })
          : result.held
            ? t('mails.rejectedBulkHeld', { n: result.count, mails: result.mails, held: result.held })
            : t('pipeline.rejectedBulk', { n: result.count, mails: result.mails }),
      );
      if (result.interviewsCancelled) flash(req, 'info', t('pipeline.interviewsCancelled', { n: result.interviewsCancelled }));
      res.redirect(303, back);
    } catch (err) {
      if (!(err instanceof service.StaleForm)) throw err;
      res.status(409).render('pipeline/conflict', { message: res.locals.t('pipeline.conflict.bulk'), back });
    }
  });

  // ---- Candidate page ----------------------------------------------------------------------
  const candidateView = 'pipeline/candidate';
  const candidateLocals = (req: Request, res: Response, applicationId: number) => {
    const page = service.candidatePage(db, actor(req), applicationId);
    const t = res.locals.t as Translate;
    // Free-text answers pass through the anonymity rule's redaction, as the message does.
    const answers = redactAnswers(answersOfApplications(db, [applicationId]).get(applicationId) ?? [], presentIdentity(t, page.app).redact);
    const org = { id: page.app.organisation_id, region_id: page.app.region_id };
    const waitingMails = presentPending(db, t, actor(req), pendingMails(db, { organisationIds: [org.id], applicationId }), [org]);
    return { ...candidateViewModel(t, page), reasons: REJECTION_REASONS, answers, waitingMails };
  };

  r.get('/recrutement/candidatures/:id', (req, res) => {
    res.render(candidateView, candidateLocals(req, res, idOr404(req.params.id)));
  });

  function movedMessage(t: Translate, app: q.ApplicationRow, stageName: string, mailSent: boolean) {
    return t(mailSent ? 'pipeline.movedMail' : 'pipeline.moved', { name: nameOf(t)(app), stage: stageName });
  }

  function backAfterMove(back: string, app: { application_id: number; posting_id: number }) {
    if (back === 'board') return `/recrutement/offres/${app.posting_id}#card-${app.application_id}`;
    if (back === 'list') return `/recrutement/offres/${app.posting_id}/liste`;
    return `/recrutement/candidatures/${app.application_id}`;
  }

  // The board's move without JavaScript: each card links here (a folded link, not a form per
  // card: the board of a big posting printed ~200 forms of 8 options each). The form posts to
  // the same route as the board's script and the candidate page.
  r.get('/recrutement/candidatures/:id/deplacer', (req, res) => {
    const me = actor(req);
    const app = service.viewableApplication(db, me, idOr404(req.params.id));
    if (!service.mayMoveIn(db, me, app)) throw new NotFound();
    const t = res.locals.t as Translate;
    const back = ['board', 'list', 'candidate'].includes(String(req.query.retour)) ? String(req.query.retour) : 'candidate';
    res.render('pipeline/move', {
      app: maskedRow(t, app),
      label: nameOf(t)(app),
      stages: q.stagesOfPosting(db, app.posting_id),
      back,
      backUrl: backAfterMove(back, app),
      values: { stage_id: app.stage_id, expected_stage_id: app.stage_id },
    });
  });

  r.post('/recrutement/candidatures/:id/deplacer', (req, res) => {
    const id = idOr404(req.params.id);
    const t = res.locals.t as Translate;
    const json = wantsJson(req);
    const formCtx = () => ({ view: candidateView, locals: { ...candidateLocals(req, res, id), values: req.body ?? {} } });
    try {
      const input = parseInput(MoveSchema, req.body, json ? {} : formCtx());
      const result = service.moveApplication(
        db,
        actor(req),
        { applicationId: id, stageId: input.stage_id, expectedStageId: input.expected_stage_id, comment: input.comment, sendMail: input.send_mail },
        mailCtx(req),
        json ? {} : formCtx(),
      );
      const cancelled = result.interviewsCancelled ? t('pipeline.interviewsCancelled', { n: result.interviewsCancelled }) : '';
      const message = movedMessage(t, result.app, result.target.name, result.mailSent);
      if (json) return res.json({ ok: true, message: cancelled ? `${message} ${cancelled}` : message, stageId: result.target.id });
      flash(req, 'success', message);
      if (cancelled) flash(req, 'info', cancelled);
      res.redirect(303, backAfterMove(input.back, result.app));
    } catch (err) {
      // A hiring decision (issue 5): the evaluation feature's form records the rationale first.
      if (err instanceof service.DecisionRequired && !json) return res.redirect(303, `/recrutement/candidatures/${id}/decision?issue=${err.outcome}`);
      if (err instanceof service.RejectionRequired) {
        if (json) return res.status(422).json({ ok: false, message: t('pipeline.errors.useReject') });
        const back = typeof req.body?.back === 'string' ? req.body.back : 'candidate';
        const expected = idParam(req.body?.expected_stage_id);
        return res.redirect(303, `/recrutement/candidatures/${id}/refuser?retour=${encodeURIComponent(back)}${expected ? `&attendu=${expected}` : ''}`);
      }
      if (err instanceof service.StaleForm) {
        const message = t('pipeline.conflict.message', { name: nameOf(t)(q.applicationById(db, id, actor(req).id) ?? { masked: 1, anon_number: 0, full_name: '' }), stage: err.currentStageName ?? '' });
        if (json) return res.status(409).json({ ok: false, message });
        const app = q.applicationById(db, id, actor(req).id);
        return res.status(409).render('pipeline/conflict', { message, back: app ? backAfterMove(String(req.body?.back ?? 'candidate'), app) : '/tableau-de-bord' });
      }
      if (err instanceof Invalid && json) return res.status(422).json({ ok: false, message: t(Object.values(err.fields)[0] ?? 'errors.422.message') });
      throw err;
    }
  });

  // ---- Rejection ---------------------------------------------------------------------------
  const rejectView = 'pipeline/reject';
  const rejectLocals = (req: Request, res: Response, id: number) => {
    const me = actor(req);
    const app = service.viewableApplication(db, me, id);
    if (!service.mayMove(me, { id: app.organisation_id, region_id: app.region_id }, service.chargeOnPanel(db, me, app.posting_id))) throw new NotFound();
    const t = res.locals.t as Translate;
    const previewKey = service.rejectionTemplate(db, id, 'auto') ?? 'rejection';
    return {
      app: maskedRow(t, app),
      label: nameOf(t)(app),
      reasons: REJECTION_REASONS,
      rejectionMails: REJECTION_MAILS,
      mailTimings: MAIL_TIMINGS,
      postingStatus: q.postingById(db, app.posting_id)?.status ?? 'published',
      preview: service.previewCandidateMail(db, app, previewKey, ctx.i18n.translator),
      // A rejection cancels the interviews still to come: the form says so before.
      comingInterviews: upcomingInterviewsOf(db, id).filter((i) => new Date(i.starts_at).getTime() > Date.now()),
    };
  };

  r.get('/recrutement/candidatures/:id/refuser', (req, res) => {
    const id = idOr404(req.params.id);
    const locals = rejectLocals(req, res, id);
    const expected = idParam(req.query.attendu) ?? locals.app.stage_id;
    const back = ['board', 'list', 'candidate'].includes(String(req.query.retour)) ? String(req.query.retour) : 'candidate';
    // A runner-up (seen at interview) is told once the post is filled, not while it may still be offered.
    const timing = q.reachedInterview(db, id) && locals.postingStatus !== 'filled' ? 'filled' : 'now';
    res.render(rejectView, { ...locals, values: { expected_stage_id: expected, mail: 'auto', timing, back } });
  });

  r.post('/recrutement/candidatures/:id/refuser', (req, res) => {
    const id = idOr404(req.params.id);
    const locals = rejectLocals(req, res, id);
    const input = parseInput(RejectSchema, req.body, { view: rejectView, locals });
    const t = res.locals.t as Translate;
    try {
      const result = service.rejectApplication(
        db,
        actor(req),
        { applicationId: id, expectedStageId: input.expected_stage_id, reason: input.reason, reasonText: input.reason_text, mail: input.mail, holdUntilFilled: input.timing === 'filled' },
        mailCtx(req),
      );
      flash(req, 'success', t(result.mailHeld ? 'mails.rejectedHeld' : result.mailSent ? 'pipeline.rejectedMail' : 'pipeline.rejected', { name: nameOf(t)(result.app) }));
      if (result.interviewsCancelled) flash(req, 'info', t('pipeline.interviewsCancelled', { n: result.interviewsCancelled }));
      res.redirect(303, backAfterMove(input.back, result.app));
    } catch (err) {
      if (err instanceof service.DecisionRequired) return res.redirect(303, `/recrutement/candidatures/${id}/decision?issue=rejected`);
      if (!(err instanceof service.StaleForm)) throw err;
      res.status(409).render('pipeline/conflict', {
        message: t('pipeline.conflict.message', { name: locals.label, stage: err.currentStageName ?? '' }),
        back: `/recrutement/candidatures/${id}`,
      });
    }
  });

  // ---- Notes, reveal, documents ------------------------------------------------------------
  r.post('/recrutement/candidatures/:id/notes', (req, res) => {
    const id = idOr404(req.params.id);
    const t = res.locals.t as Translate;
    const form = () => ({ view: candidateView, locals: { ...candidateLocals(req, res, id), values: req.body ?? {} } });
    // Refused before validation: someone without access learns nothing from the messages.
    service.viewableApplication(db, actor(req), id, 'pipeline.note');
    const input = parseInput(NoteSchema, req.body, form());
    const result = service.addNote(db, actor(req), id, input, mailCtx(req), form());
    flash(req, 'success', result.mentioned ? t('pipeline.notes.addedMentions', { n: result.mentioned }) : t('pipeline.notes.added'));
    res.redirect(303, `/recrutement/candidatures/${id}#note-${result.noteId}`);
  });

  r.post('/recrutement/candidatures/:id/reveler', (req, res) => {
    const id = idOr404(req.params.id);
    service.revealIdentity(db, actor(req), id, clientIp(req));
    flash(req, 'info', 'pipeline.anon.revealed');
    res.redirect(303, `/recrutement/candidatures/${id}`);
  });

  const CONTENT_TYPES = {
    pdf: 'application/pdf',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    odt: 'application/vnd.oasis.opendocument.text',
  } as const;

  r.get('/recrutement/candidatures/:id/documents/:documentId', (req, res, next) => {
    const doc = service.openDocument(db, actor(req), idOr404(req.params.id), idOr404(req.params.documentId), clientIp(req));
    // The applications feature knows where its files live (and audits the download).
    const { file } = documentForDownload(db, actor(req), doc.id, config.uploadDir, clientIp(req));
    // Only a PDF is shown inline (the browser's viewer); everything else is downloaded.
    const inline = req.query.apercu === '1' && doc.file_type === 'pdf';
    res.set('Content-Type', CONTENT_TYPES[doc.file_type] ?? 'application/octet-stream');
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Cache-Control', 'private, no-store');
    // While masked, the file name (often "CV Prénom Nom.pdf") is not sent either.
    res.attachment(doc.masked ? documentName(doc) : doc.original_name);
    if (inline) res.set('Content-Disposition', res.get('Content-Disposition')!.replace(/^attachment/, 'inline'));
    res.sendFile(file, { dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });

  // ---- Stages and anonymisation --------------------------------------------------------------
  const stagesView = 'pipeline/stages';
  const stagesLocals = (req: Request) => {
    const posting = service.viewablePosting(db, actor(req), idOr404(req.params.postingId), 'pipeline.configure');
    return { posting, stages: q.stagesOfPosting(db, posting.id) };
  };

  r.get('/recrutement/offres/:postingId/etapes', (req, res) => {
    res.render(stagesView, stagesLocals(req));
  });

  r.post('/recrutement/offres/:postingId/etapes', (req, res) => {
    const locals = stagesLocals(req);
    const input = parseInput(StageNameSchema, req.body, { view: stagesView, locals });
    service.addStage(db, actor(req), locals.posting.id, input, { view: stagesView, locals });
    flash(req, 'success', 'pipeline.stages.added');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/etapes`);
  });

  r.post('/recrutement/offres/:postingId/etapes/:stageId', (req, res) => {
    const locals = stagesLocals(req);
    const stageId = idOr404(req.params.stageId);
    const parsed = StageNameSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      // Each row of the table is its own form: the message goes to that row's field.
      const message = parsed.error.issues.find((i) => i.path[0] === 'name')?.message ?? 'errors.required';
      throw new Invalid({ [`name_${stageId}`]: message }, stagesView, { ...locals, values: { [`name_${stageId}`]: req.body?.name } });
    }
    service.updateStage(db, actor(req), locals.posting.id, stageId, parsed.data, { view: stagesView, locals: { ...locals, values: { [`name_${stageId}`]: parsed.data.name } } });
    flash(req, 'success', 'pipeline.stages.saved');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/etapes`);
  });

  r.post('/recrutement/offres/:postingId/etapes/:stageId/ordre', (req, res) => {
    const locals = stagesLocals(req);
    const input = parseInput(StageOrderSchema, req.body, { view: stagesView, locals });
    service.reorderStage(db, actor(req), locals.posting.id, idOr404(req.params.stageId), input.direction);
    flash(req, 'success', 'pipeline.stages.reordered');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/etapes`);
  });

  r.post('/recrutement/offres/:postingId/etapes/:stageId/supprimer', (req, res) => {
    const locals = stagesLocals(req);
    const stageId = idOr404(req.params.stageId);
    try {
      service.deleteStage(db, actor(req), locals.posting.id, stageId);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      throw new Invalid({ [`name_${stageId}`]: 'pipeline.errors.stageNotEmpty' }, stagesView, locals, 409);
    }
    flash(req, 'success', 'pipeline.stages.deleted');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/etapes`);
  });

  r.post('/recrutement/offres/:postingId/anonymisation', (req, res) => {
    const postingId = idOr404(req.params.postingId);
    service.viewablePosting(db, actor(req), postingId, 'pipeline.configure');
    const input = parseInput(AnonymisationSchema, req.body);
    service.setAnonymisation(db, actor(req), postingId, input.anonymised, clientIp(req));
    flash(req, 'success', 'pipeline.anon.saved');
    res.redirect(303, `/recrutement/offres/${postingId}`);
  });

  // ---- Mail templates ------------------------------------------------------------------------
  const configurableOrg = (req: Request) => {
    const org = organisationById(db, idOr404(req.params.orgId));
    authorize(req.user, 'pipeline.configure', org);
    return org;
  };

  r.get('/recrutement/organisations/:orgId/modeles', (req, res) => {
    const org = configurableOrg(req);
    res.render('pipeline/templates', { org, templates: service.templatesOf(db, org.id) });
  });

  const templateView = 'pipeline/template-edit';
  // Each template is kept per language (?langue=en: the English copy; French by default).
  const templateLocals = (req: Request) => {
    const org = configurableOrg(req);
    const key = TemplateKeySchema.safeParse(req.params.key);
    const lang = TemplateLanguageQuery.safeParse(req.query ?? {});
    if (!key.success || !lang.success) throw new NotFound();
    const locale = lang.data.langue;
    const url = `/recrutement/organisations/${org.id}/modeles/${key.data}${locale === 'fr' ? '' : `?langue=${locale}`}`;
    return { org, key: key.data, templateLocale: locale, url, template: service.effectiveTemplate(db, org.id, key.data, locale), variables: TEMPLATE_VARIABLES };
  };
  // The preview is the mail as a candidate of that language reads it, footer included.
  const previewOf = (input: { subject: string; body: string }, org: { name: string }, locale: Locale) =>
    renderTemplate(input, { ...SAMPLE_VALUES, cpts: org.name }, ctx.i18n.translator(locale)('mail.footer'), locale);

  r.get('/recrutement/organisations/:orgId/modeles/:key', (req, res) => {
    const locals = templateLocals(req);
    res.render(templateView, { ...locals, values: locals.template, preview: previewOf(locals.template, locals.org, locals.templateLocale) });
  });

  r.post('/recrutement/organisations/:orgId/modeles/:key', (req, res) => {
    const locals = templateLocals(req);
    if (req.body?.intent === 'reset') {
      service.resetTemplate(db, actor(req), locals.org, locals.key, locals.templateLocale, clientIp(req));
      flash(req, 'success', 'pipeline.templates.resetDone');
      return res.redirect(303, locals.url);
    }
    const input = parseInput(TemplateSchema, req.body, { view: templateView, locals: { ...locals, preview: null } });
    if (input.intent === 'preview') {
      return res.render(templateView, { ...locals, values: input, preview: previewOf(input, locals.org, locals.templateLocale), previewed: true });
    }
    service.saveTemplate(db, actor(req), locals.org, locals.key, locals.templateLocale, input, clientIp(req));
    flash(req, 'success', 'pipeline.templates.saved');
    res.redirect(303, locals.url);
  });

  return r;
}
