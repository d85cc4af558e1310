/**
 * The screening view's routes: one page per application (`…/tri`), and three actions (move,
 * reject, note) that each land on the next application of the same stage. They use the same
 * services, policy and anonymity rule as the candidate page and the board.
 */
import { Router, type Request, type Response } from 'express';
import { answersOfApplications, redactAnswers } from '../questions/service.js';
import { presentIdentity } from './anonymity.js';
import type { AppContext } from '../../core/context.js';
import { actor } from '../../core/auth.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Translate } from '../../core/i18n.js';
import { clientIp, flash, idOr404, idParam } from '../../core/http.js';
import { fieldErrors } from '../../core/validate.js';
import { documentForDownload } from '../applications/service.js';
import { displayName } from './anonymity.js';
import { candidateViewModel } from './candidate-view.js';
import { readDocument, type ReadableDocument } from './document-reader.js';
import * as q from './queries.js';
import { MoveSchema, NoteSchema, REJECTION_MAILS, REJECTION_REASONS, RejectSchema } from './schemas.js';
import * as service from './service.js';

const VIEW = 'pipeline/screening';

/** What the page shows of the chosen document: the browser's PDF viewer, converted text, or why not. */
export type ShownDocument = { id: number; type: 'pdf' | 'docx' | 'odt'; src: string; download: string; readable: ReadableDocument | null };

export const screeningPath = (applicationId: number) => `/recrutement/candidatures/${applicationId}/tri`;

export function screeningRouter(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  const mailCtx = (req: Request) => ({ translator: ctx.i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });

  /**
   * The page's data. While the identity is masked, no document is read or shown unless the
   * screener asked for it (`documents=1`): the opening is then recorded, as a download is.
   */
  async function screeningLocals(req: Request, res: Response, applicationId: number, wanted: { documents: boolean; documentId: number | null }) {
    const me = actor(req);
    const page = service.screeningPage(db, me, applicationId);
    const vm = candidateViewModel(res.locals.t as Translate, page);
    const onDemand = page.app.masked === 1 && !wanted.documents;
    const chosen = vm.documents.find((d) => d.id === wanted.documentId) ?? vm.documents.find((d) => d.kind === 'cv') ?? vm.documents[0];
    let shown: ShownDocument | null = null;
    if (chosen && !onDemand) {
      const base = `/recrutement/candidatures/${applicationId}/documents/${chosen.id}`;
      const type = chosen.file_type as ShownDocument['type'];
      let readable: ReadableDocument | null = null;
      if (type !== 'pdf') {
        // Read here, as the document route would serve it: authorised, audited, recorded while masked.
        const doc = service.openDocument(db, me, applicationId, chosen.id, clientIp(req));
        const { file } = documentForDownload(db, me, doc.id, config.uploadDir, clientIp(req));
        readable = await readDocument(file, type);
      }
      shown = { id: chosen.id, type, src: `${base}?apercu=1`, download: base, readable };
    }
    // The candidate's answers to the posting's questions, free text through the anonymity rule's redaction.
    const answers = redactAnswers(answersOfApplications(db, [applicationId]).get(applicationId) ?? [], presentIdentity(res.locals.t as Translate, page.app).redact);
    return {
      ...vm,
      answers,
      current: page.current,
      position: page.position,
      advance: page.advance,
      advanceNeedsDecision: page.advanceNeedsDecision,
      mayReject: page.mayReject,
      rejectNeedsDecision: page.rejectNeedsDecision,
      onDemand,
      shown,
      documentsQuery: page.app.masked ? '&documents=1' : '',
      reasons: REJECTION_REASONS,
      rejectionMails: REJECTION_MAILS,
      screeningPath,
    };
  }

  r.get('/recrutement/candidatures/:id/tri', async (req, res) => {
    const id = idOr404(req.params.id);
    const wanted = { documents: req.query.documents === '1', documentId: idParam(req.query.document) ?? null };
    res.render(VIEW, { ...(await screeningLocals(req, res, id, wanted)), values: {} });
  });

  /** The application as it stands before an action, once the actor is known to be allowed it. */
  function before(req: Request, action: 'move' | 'note') {
    const me = actor(req);
    const app = service.viewableApplication(db, me, idOr404(req.params.id), action === 'note' ? 'pipeline.note' : 'pipeline.view');
    if (action === 'move' && !service.mayMove(me, { id: app.organisation_id, region_id: app.region_id }, service.chargeOnPanel(db, me, app.posting_id))) throw new NotFound();
    return app;
  }

  /** A refused form comes back as the screening page with its messages (no document re-read). */
  async function invalid(req: Request, res: Response, id: number, fields: Record<string, string>): Promise<never> {
    throw new Invalid(fields, VIEW, { ...(await screeningLocals(req, res, id, { documents: false, documentId: null })), values: req.body ?? {} });
  }

  /** After an action: the next application of the stage it stood at, else the board. */
  function landNext(req: Request, res: Response, app: q.ApplicationRow, stageId: number, message: string, stayIfLast = false) {
    flash(req, 'success', message);
    const next = service.nextInStage(db, app.posting_id, stageId, app);
    if (next !== null) return res.redirect(303, screeningPath(next));
    if (stayIfLast) return res.redirect(303, screeningPath(app.application_id));
    const stage = q.stageById(db, stageId);
    flash(req, 'info', (res.locals.t as Translate)('pipeline.screening.stageDone', { stage: stage?.name ?? '' }));
    res.redirect(303, `/recrutement/offres/${app.posting_id}#col-${stageId}`);
  }

  /** The errors every action shares: a decision to record, a stale page. */
  function settled(err: unknown, req: Request, res: Response, app: q.ApplicationRow): boolean {
    const t = res.locals.t as Translate;
    if (err instanceof service.DecisionRequired) {
      res.redirect(303, `/recrutement/candidatures/${app.application_id}/decision?issue=${err.outcome}`);
      return true;
    }
    if (err instanceof service.StaleForm) {
      const now = q.applicationById(db, app.application_id, actor(req).id);
      res.status(409).render('pipeline/conflict', {
        message: t('pipeline.conflict.message', { name: displayName(t, now ?? app), stage: err.currentStageName ?? now?.stage_name ?? '' }),
        back: screeningPath(app.application_id),
      });
      return true;
    }
    return false;
  }

  r.post('/recrutement/candidatures/:id/tri/deplacer', async (req, res) => {
    const app = before(req, 'move');
    const id = app.application_id;
    const t = res.locals.t as Translate;
    const parsed = MoveSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res, id, fieldErrors(parsed.error));
    const input = parsed.data;
    try {
      const result = service.moveApplication(
        db,
        actor(req),
        { applicationId: id, stageId: input.stage_id, expectedStageId: input.expected_stage_id, comment: input.comment, sendMail: input.send_mail },
        mailCtx(req),
      );
      landNext(req, res, app, input.expected_stage_id, t(result.mailSent ? 'pipeline.movedMail' : 'pipeline.moved', { name: displayName(t, app), stage: result.target.name }));
    } catch (err) {
      if (settled(err, req, res, app)) return;
      // "Non retenu(e)" chosen in the list of stages: the rejection needs its reason.
      if (err instanceof service.RejectionRequired) return invalid(req, res, id, { reason: 'pipeline.errors.reasonRequired' });
      if (err instanceof Invalid && !err.view) return invalid(req, res, id, err.fields);
      throw err;
    }
  });

  r.post('/recrutement/candidatures/:id/tri/refuser', async (req, res) => {
    const app = before(req, 'move');
    const id = app.application_id;
    const t = res.locals.t as Translate;
    const parsed = RejectSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res, id, fieldErrors(parsed.error));
    const input = parsed.data;
    try {
      const result = service.rejectApplication(
        db,
        actor(req),
        { applicationId: id, expectedStageId: input.expected_stage_id, reason: input.reason, reasonText: input.reason_text, mail: input.mail },
        mailCtx(req),
      );
      landNext(req, res, app, input.expected_stage_id, t(result.mailSent ? 'pipeline.rejectedMail' : 'pipeline.rejected', { name: displayName(t, app) }));
    } catch (err) {
      if (settled(err, req, res, app)) return;
      throw err;
    }
  });

  r.post('/recrutement/candidatures/:id/tri/noter', async (req, res) => {
    const app = before(req, 'note');
    const id = app.application_id;
    const t = res.locals.t as Translate;
    const parsed = NoteSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, res, id, fieldErrors(parsed.error));
    try {
      service.addNote(db, actor(req), id, parsed.data, mailCtx(req));
    } catch (err) {
      if (err instanceof Invalid && !err.view) return invalid(req, res, id, err.fields);
      throw err;
    }
    // The application stays where it is; the screening goes on with the next one.
    landNext(req, res, app, app.stage_id, t('pipeline.screening.noted', { name: displayName(t, app) }), true);
  });

  return r;
}
