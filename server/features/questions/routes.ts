import { Router, type Request } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Conflict } from '../../core/errors.js';
import { flash, idOr404 } from '../../core/http.js';
import type { Translate } from '../../core/i18n.js';
import { parseInput } from '../../core/validate.js';
import { frenchDate, sendCsv } from '../dashboards/service.js';
import { presentIdentity } from '../pipeline/anonymity.js';
import { identityFor, viewablePosting } from '../pipeline/service.js';
import { messages as questionMessages } from './messages.js';
import * as q from './queries.js';
import { MAX_QUESTIONS, QUESTION_KINDS, QuestionSchema } from './schemas.js';
import * as service from './service.js';

export const messages = questionMessages;

/** The form's values from a stored question (the edit form starts from them). */
function formValues(question: service.Question) {
  return {
    kind: question.kind,
    label: question.label,
    hint: question.hint,
    required: question.required ? '1' : '',
    options: question.options.join('\n'),
    expected_yes_no: question.kind === 'yes_no' ? (question.expected ?? '') : '',
    expected_choice: question.kind === 'choice' ? (question.expected ?? '') : '',
  };
}

export function router(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();

  const listView = 'questions/manage';
  const listLocals = (req: Request, postingId: number) => ({ ...service.questionsPage(db, actor(req), postingId), kinds: QUESTION_KINDS, maxQuestions: MAX_QUESTIONS });

  r.get('/gestion/offres/:id/questions', requireAuth, (req, res) => {
    res.render(listView, { ...listLocals(req, idOr404(req.params.id)), values: { kind: 'yes_no' } });
  });

  r.post('/gestion/offres/:id/questions', requireAuth, (req, res) => {
    const postingId = idOr404(req.params.id);
    const form = { view: listView, locals: { ...listLocals(req, postingId), values: req.body ?? {} } };
    const input = parseInput(QuestionSchema, req.body, form);
    service.addQuestion(db, actor(req), postingId, input, form);
    flash(req, 'success', 'questions.flash.added');
    res.redirect(303, `/gestion/offres/${postingId}/questions`);
  });

  const editView = 'questions/edit';
  r.get('/gestion/offres/:id/questions/:qid/modifier', requireAuth, (req, res) => {
    const page = service.editableQuestion(db, actor(req), idOr404(req.params.id), idOr404(req.params.qid));
    if (page.locked) {
      flash(req, 'error', 'questions.flash.locked');
      return res.redirect(303, `/gestion/offres/${page.posting.id}/questions`);
    }
    res.render(editView, { ...page, kinds: QUESTION_KINDS, values: formValues(page.question) });
  });

  r.post('/gestion/offres/:id/questions/:qid/modifier', requireAuth, (req, res) => {
    const postingId = idOr404(req.params.id);
    const questionId = idOr404(req.params.qid);
    const page = service.editableQuestion(db, actor(req), postingId, questionId);
    const form = { view: editView, locals: { ...page, kinds: QUESTION_KINDS, values: req.body ?? {} } };
    const input = parseInput(QuestionSchema, req.body, form);
    try {
      service.updateQuestion(db, actor(req), postingId, questionId, input, form);
      flash(req, 'success', 'questions.flash.updated');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'questions.flash.locked');
    }
    res.redirect(303, `/gestion/offres/${postingId}/questions`);
  });

  r.post('/gestion/offres/:id/questions/:qid/supprimer', requireAuth, (req, res) => {
    const postingId = idOr404(req.params.id);
    try {
      service.deleteQuestion(db, actor(req), postingId, idOr404(req.params.qid));
      flash(req, 'success', 'questions.flash.deleted');
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'questions.flash.locked');
    }
    res.redirect(303, `/gestion/offres/${postingId}/questions`);
  });

  // The answers of a posting's applications as a spreadsheet, named as the anonymity rule
  // lets this user see each candidate (free text redacted while masked).
  r.get('/recrutement/offres/:id/reponses.csv', requireAuth, (req, res) => {
    const me = actor(req);
    const posting = viewablePosting(db, me, idOr404(req.params.id));
    const t = res.locals.t as Translate;
    const questions = service.questionsOf(db, posting.id);
    const apps = q.applicationsOfPosting(db, posting.id);
    const answers = service.answersOfApplications(db, apps.map((a) => a.id));
    const rows = apps.map((a) => {
      const identity = presentIdentity(t, identityFor(db, a.id, me.id));
      const own = service.redactAnswers(answers.get(a.id) ?? [], identity.redact);
      return [
        identity.label,
        frenchDate(a.created_at),
        own.some((x) => x.knocked_out) ? t('questions.csv.flagged') : '',
        ...questions.map((question) => {
          const found = own.find((x) => x.question_id === question.id);
          return found ? service.answerText(t, found) : '';
        }),
      ];
    });
    sendCsv(res, `reponses-offre-${posting.id}.csv`, [t('questions.csv.candidate'), t('questions.csv.received'), t('questions.csv.knockout'), ...questions.map((x) => x.label)], rows);
  });

  return r;
}
