import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Translate } from '../../core/i18n.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import { fieldErrors, parseInput } from '../../core/validate.js';
import { displayName, documentName, maskedRow, presentIdentity } from '../pipeline/anonymity.js';
import * as decisions from './decisions.js';
import { parseCriterionTexts } from './rationale.js';
import { rationaleMessages } from './rationale-messages.js';
import { messages as evaluationMessages } from './messages.js';
import { AmendSchema, CriterionSchema, DecisionSchema, evaluationSchema, PanelInviteSchema, PanelMemberSchema, PanelStageSchema, RankingQuerySchema, RECOMMENDATIONS } from './schemas.js';
import * as service from './service.js';

export const messages = { fr: { ...evaluationMessages.fr, ...rationaleMessages.fr }, en: { ...evaluationMessages.en, ...rationaleMessages.en } };


/** How a candidate is named: the anonymised label while the pipeline hides their identity. */
export const candidateName = (t: Translate) => (row: { masked: number; anon_number: number; full_name: string }) => displayName(t, row);

/**
 * The ranking's cells that depend only on a candidate's aggregate (matrix, recommendations,
 * flags) are rendered once per aggregate and locale. Aggregates are immutable and belong to
 * one revision of the posting's cached inputs (cache.ts): any change gives new objects, and
 * the strings rendered for the old ones are collected with them. Names are never in them.
 * (In development, an edit of those partials shows once the posting changes or on restart.)
 */
const fragments = new WeakMap<object, Map<string, string>>();
const fragmentFor = (locale: string) => (aggregate: object, kind: string, render: () => string) => {
  let rendered = fragments.get(aggregate);
  if (!rendered) {
    rendered = new Map();
    fragments.set(aggregate, rendered);
  }
  const key = `${kind}|${locale}`;
  let html = rendered.get(key);
  if (html === undefined) {
    html = render();
    rendered.set(key, html);
  }
  return html;
};

const CONTENT_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
} as const;

export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  r.use('/recrutement', requireAuth);
  const mailCtx = (req: Request) => ({ translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });
  const postingId = (req: Request) => idOr404(req.params.postingId);

  // ---- Scorecard ------------------------------------------------------------------------------
  const scorecardView = 'evaluation/scorecard';
  r.get('/recrutement/offres/:postingId/grille', (req, res) => {
    res.render(scorecardView, { ...service.scorecardPage(db, actor(req), postingId(req)), values: { weight: '2', group: 'savoir_etre' } });
  });

  r.post('/recrutement/offres/:postingId/grille/criteres', (req, res) => {
    const locals = service.scorecardPage(db, actor(req), postingId(req));
    const input = parseInput(CriterionSchema, req.body, { view: scorecardView, locals: { ...locals, addForm: true } });
    service.addCriterion(db, actor(req), locals.posting.id, input, clientIp(req));
    flash(req, 'success', 'evaluation.scorecard.added');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/grille`);
  });

  const criterionView = 'evaluation/criterion';
  const criterionLocals = (req: Request) => service.criterionPage(db, actor(req), postingId(req), idOr404(req.params.criterionId));
  const criterionValues = (c: service.Criterion) => ({
    group: c.group_key,
    label: c.label,
    description: c.description,
    weight: String(c.weight),
    must_have: c.must_have ? '1' : '',
    min_level: c.min_level ?? '',
    level_1: c.level_1,
    level_2: c.level_2,
    level_3: c.level_3,
    level_4: c.level_4,
    questions: c.questionList.join('\n'),
  });

  r.get('/recrutement/offres/:postingId/grille/criteres/:criterionId', (req, res) => {
    const locals = criterionLocals(req);
    res.render(criterionView, { ...locals, values: criterionValues(locals.criterion) });
  });

  r.post('/recrutement/offres/:postingId/grille/criteres/:criterionId', (req, res) => {
    const locals = criterionLocals(req);
    if (locals.scorecard.locked_at) throw new Invalid({ _form: 'evaluation.errors.locked' }, criterionView, { ...locals, values: req.body ?? {} }, 409);
    const input = parseInput(CriterionSchema, req.body, { view: criterionView, locals });
    try {
      service.updateCriterion(db, actor(req), locals.posting.id, locals.criterion.id, input, clientIp(req));
    } catch (err) {
      if (err instanceof service.ScorecardLocked) throw new Invalid({ _form: 'evaluation.errors.locked' }, criterionView, { ...locals, values: req.body ?? {} }, 409);
      throw err;
    }
    flash(req, 'success', 'evaluation.scorecard.saved');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/grille`);
  });

  r.post('/recrutement/offres/:postingId/grille/criteres/:criterionId/supprimer', (req, res) => {
    const id = postingId(req);
    try {
      service.deleteCriterion(db, actor(req), id, idOr404(req.params.criterionId), clientIp(req));
      flash(req, 'success', 'evaluation.scorecard.deleted');
    } catch (err) {
      if (!(err instanceof service.ScorecardLocked)) throw err;
      const locals = service.scorecardPage(db, actor(req), id);
      throw new Invalid({ _form: 'evaluation.errors.locked' }, scorecardView, locals, 409);
    }
    res.redirect(303, `/recrutement/offres/${id}/grille`);
  });

  // ---- Panel ----------------------------------------------------------------------------------
  const panelView = 'evaluation/panel';
  const panelLocals = (req: Request) => service.panelPage(db, actor(req), postingId(req));

  r.get('/recrutement/offres/:postingId/jury', (req, res) => {
    res.render(panelView, panelLocals(req));
  });

  r.post('/recrutement/offres/:postingId/jury/membres', (req, res) => {
    const locals = panelLocals(req);
    const input = parseInput(PanelMemberSchema, req.body, { view: panelView, locals });
    service.addPanelMember(db, actor(req), locals.posting.id, input.user_id, { view: panelView, locals }, clientIp(req));
    flash(req, 'success', 'evaluation.panel.added');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/jury`);
  });

  r.post('/recrutement/offres/:postingId/jury/membres/:userId/retirer', (req, res) => {
    const id = postingId(req);
    service.removePanelMember(db, actor(req), id, idOr404(req.params.userId), clientIp(req));
    flash(req, 'success', 'evaluation.panel.removed');
    res.redirect(303, `/recrutement/offres/${id}/jury`);
  });

  r.post('/recrutement/offres/:postingId/jury/membres/:userId/presidence', (req, res) => {
    const id = postingId(req);
    service.setPanelChair(db, actor(req), id, idOr404(req.params.userId), clientIp(req));
    flash(req, 'success', 'evaluation.panel.chairSet');
    res.redirect(303, `/recrutement/offres/${id}/jury`);
  });

  r.post('/recrutement/offres/:postingId/jury/etape', (req, res) => {
    const locals = panelLocals(req);
    const input = parseInput(PanelStageSchema, req.body, { view: panelView, locals });
    service.setPanelStart(db, actor(req), locals.posting.id, input.stage_id, { view: panelView, locals });
    flash(req, 'success', 'evaluation.panel.stageSet');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/jury`);
  });

  r.post('/recrutement/offres/:postingId/jury/invitations', (req, res) => {
    const locals = panelLocals(req);
    const form = { view: panelView, locals: { ...locals, values: req.body ?? {} } };
    const input = parseInput(PanelInviteSchema, req.body, form);
    const result = service.invitePanelist(db, actor(req), locals.posting.id, input, mailCtx(req), form);
    flash(req, 'success', result.invited ? 'evaluation.panel.invited' : 'evaluation.panel.added');
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/jury`);
  });

  // ---- Interview kit --------------------------------------------------------------------------
  const kitView = 'evaluation/kit';
  const kitLocals = (req: Request, res: Response, applicationId: number) => {
    const page = service.kitPage(db, actor(req), applicationId);
    const t = res.locals.t as Translate;
    return {
      ...page,
      app: maskedRow(t, page.app),
      documents: page.app.masked ? page.documents.map((d) => ({ ...d, original_name: documentName(d) })) : page.documents,
      label: candidateName(t)(page.app),
      recommendations: RECOMMENDATIONS,
    };
  };
  /** The form's values: the draft being edited, else nothing typed yet. */
  const kitValues = (page: ReturnType<typeof service.kitPage>) => {
    const values: Record<string, string> = { version: String(page.draft?.version ?? (page.submitted.length ? 0 : 1)) };
    if (page.draft) {
      values.recommendation = page.draft.recommendation ?? '';
      values.summary = page.draft.summary;
      for (const [cid, rating] of page.draft.ratings) {
        values[`rating_${cid}`] = rating.level === null ? 'na' : String(rating.level);
        values[`comment_${cid}`] = rating.comment;
      }
    }
    return values;
  };

  r.get('/recrutement/candidatures/:applicationId/evaluation', (req, res) => {
    const locals = kitLocals(req, res, idOr404(req.params.applicationId));
    res.render(kitView, { ...locals, values: kitValues(locals) });
  });

  r.post('/recrutement/candidatures/:applicationId/evaluation', (req, res) => {
    const id = idOr404(req.params.applicationId);
    const locals = kitLocals(req, res, id);
    // Someone who may not rate this candidate learns nothing from validation messages.
    if (!locals.member) throw new NotFound();
    const input = parseInput(
      evaluationSchema(locals.criteria.map((c) => c.id)),
      req.body,
      { view: kitView, locals },
    );
    const result = service.saveEvaluation(db, actor(req), id, input, clientIp(req));
    // The kit's script saves the draft as the panelist goes: no page, no flash for that.
    if (req.body?.autosave === '1' && input.intent === 'save') return res.status(result === 'saved' ? 204 : 409).end();
    flash(req, result === 'saved' ? 'success' : 'info', `evaluation.kit.${result}`);
    res.redirect(303, `/recrutement/candidatures/${id}/evaluation${result === 'saved' ? '#evaluation-form' : ''}`);
  });

  r.post('/recrutement/candidatures/:applicationId/evaluation/amender', (req, res) => {
    const id = idOr404(req.params.applicationId);
    const locals = kitLocals(req, res, id);
    if (!locals.member) throw new NotFound();
    const input = parseInput(AmendSchema, req.body, { view: kitView, locals: { ...locals, values: { ...kitValues(locals), ...req.body } } });
    service.amendEvaluation(db, actor(req), id, input.reason);
    flash(req, 'info', 'evaluation.kit.amending');
    res.redirect(303, `/recrutement/candidatures/${id}/evaluation#evaluation-form`);
  });

  r.get('/recrutement/candidatures/:applicationId/evaluation/documents/:documentId', (req, res) => {
    const doc = service.kitDocument(db, actor(req), idOr404(req.params.applicationId), idOr404(req.params.documentId), clientIp(req));
    const name = doc.masked ? documentName(doc) : doc.original_name;
    // Stored by the applications feature under uploads/applications/ with a random name.
    const file = [path.join(config.uploadDir, 'applications', path.basename(doc.stored_name)), path.join(config.uploadDir, path.basename(doc.stored_name))].find((f) => fs.existsSync(f));
    if (!file) throw new NotFound();
    res.set('Content-Type', CONTENT_TYPES[doc.file_type] ?? 'application/octet-stream');
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Cache-Control', 'private, no-store');
    res.attachment(name);
    res.sendFile(file);
  });

  // ---- Ranking and matrix ---------------------------------------------------------------------
  // 50 candidates per page (`?page=N`); `?tout=1` is every row at once, to print.
  r.get('/recrutement/offres/:postingId/classement', (req, res) => {
    const id = postingId(req);
    const query = RankingQuerySchema.parse(req.query ?? {});
    const page = service.rankingPage(db, actor(req), id, { page: query.page, all: query.tout });
    const base = `/recrutement/offres/${id}/classement`;
    res.render('evaluation/ranking', {
      ...page,
      base,
      pageUrl: (n: number) => (n === 1 ? base : `${base}?page=${n}`),
      nameOf: candidateName(res.locals.t as Translate),
      fragment: fragmentFor(String(res.locals.locale)),
    });
  });

  // ---- Decisions ------------------------------------------------------------------------------
  const decisionView = 'evaluation/decision';
  const decisionLocals = (req: Request, res: Response, id: number) => {
    const page = decisions.decisionPage(db, actor(req), id);
    const t = res.locals.t as Translate;
    return { ...page, app: maskedRow(t, page.app), label: candidateName(t)(page.app) };
  };

  r.get('/recrutement/candidatures/:applicationId/decision', (req, res) => {
    const locals = decisionLocals(req, res, idOr404(req.params.applicationId));
    const wanted = typeof req.query.issue === 'string' && locals.outcomes.includes(req.query.issue as never) ? req.query.issue : '';
    res.render(decisionView, { ...locals, values: { expected_stage_id: locals.app.stage_id, outcome: wanted } });
  });

  r.post('/recrutement/candidatures/:applicationId/decision', (req, res) => {
    const id = idOr404(req.params.applicationId);
    const locals = decisionLocals(req, res, id);
    const form = { view: decisionView, locals: { ...locals, values: req.body ?? {} } };
    // The form and its reasons per criterion are checked together: every message shows at once.
    const parsed = DecisionSchema.safeParse(req.body ?? {});
    const criteria = parseCriterionTexts(req.body, locals.criteria);
    if (!parsed.success || Object.keys(criteria.errors).length) throw new Invalid({ ...(parsed.success ? {} : fieldErrors(parsed.error)), ...criteria.errors }, decisionView, form.locals);
    const input = parsed.data;
    try {
      decisions.recordDecision(db, actor(req), id, { ...input, criteria: criteria.texts }, mailCtx(req), form);
    } catch (err) {
      if (err instanceof decisions.StaleDecision) throw new Invalid({ _form: 'evaluation.errors.stale' }, decisionView, { ...decisionLocals(req, res, id), values: req.body ?? {} }, 409);
      throw err;
    }
    flash(req, 'success', `evaluation.decision.done.${input.outcome}`);
    res.redirect(303, `/recrutement/offres/${locals.posting.id}/decisions`);
  });

  r.get('/recrutement/offres/:postingId/decisions', (req, res) => {
    const record = decisions.decisionRecord(db, actor(req), postingId(req));
    const t = res.locals.t as Translate;
    // Each decision names its candidate as the anonymity rule lets this user see them.
    const shown = record.decisions.map((d) => {
      const redact = presentIdentity(t, d).redact;
      return { ...maskedRow(t, d), rationale: redact(d.rationale), criteria: d.criteria.map((c) => ({ ...c, text: redact(c.text) })) };
    });
    res.render('evaluation/decisions', { ...record, decisions: shown, nameOf: candidateName(t) });
  });

  // The same record with every detail written out, for printing without JavaScript.
  r.get('/recrutement/offres/:postingId/decisions/imprimer', (req, res) => {
    const record = decisions.decisionRecord(db, actor(req), postingId(req));
    const t = res.locals.t as Translate;
    const shown = record.decisions.map((d) => {
      const redact = presentIdentity(t, d).redact;
      return { ...maskedRow(t, d), rationale: redact(d.rationale), criteria: d.criteria.map((c) => ({ ...c, text: redact(c.text) })) };
    });
    res.render('evaluation/decisions-print', { ...record, decisions: shown, printedAt: new Date().toISOString() });
  });

  return r;
}
