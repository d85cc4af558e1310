import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from '../../core/context.js';
import type { Locale, Translate } from '../../core/i18n.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { uploadFailure, type UploadRoute } from '../../core/forms.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import { fieldErrors, parseInput } from '../../core/validate.js';
import { upcomingInterviewsOf } from '../interviews/service.js';
import { candidateScheduling } from '../scheduling/service.js';
import { isOpen, postingForApplication } from '../jobs/service.js';
import fs from 'node:fs';
import { detectFileType, durableUploadStorage, filesWrittenFor, removeStored, namesDurable, removeStoredAsync, storedPath, type StreamedFile } from './files.js';
import { extractFileText } from './extract.js';
import { messages as applicationMessages } from './messages.js';
import { renderToString, sendAccessZip, summaryLocals } from '../privacy/access-http.js';
import * as privacy from '../privacy/service.js';
import { ApplySchema, CandidateDocumentSchema, CandidateEraseConfirm, CandidateMessageSchema, SOURCES, TOKEN_PATTERN } from './schemas.js';
import * as service from './service.js';
import { answersOfApplications, parseAnswers, questionsOf } from '../questions/service.js';

export const messages = applicationMessages;

/** Default of successful (or neutral spam) submissions per IP in 15 minutes (`APPLY_RATE_LIMIT`); invalid forms do not count. */
export const APPLY_RATE_LIMIT = 10;
const FILE_FIELDS = ['cv', 'other_document'] as const;


function slugOr404(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9-]{1,120}$/.test(value)) throw new NotFound();
  return value;
}

/** Multer's limit errors, as a message on the form (413 for sizes), never a 500. */
function uploadError(err: unknown): { fields: Record<string, string>; status: number } {
  const code = (err as { code?: string })?.code;
  const field = (err as { field?: string })?.field;
  const onField = field && (FILE_FIELDS as readonly string[]).includes(field) ? field : '_form';
  switch (code) {
    case 'LIMIT_FILE_SIZE':
      return { fields: { [onField]: 'applications.errors.fileTooLarge' }, status: 413 };
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return { fields: { _form: 'applications.errors.tooManyFiles' }, status: 422 };
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_FIELD_VALUE':
    case 'LIMIT_FIELD_KEY':
      return { fields: { _form: 'applications.errors.formTooLarge' }, status: 413 };
    default:
      return { fields: { _form: 'applications.errors.uploadFailed' }, status: 400 };
  }
}

function formValues(body: unknown): Record<string, unknown> {
  const { _csrf, website, ...rest } = (body ?? {}) as Record<string, unknown>;
  void _csrf;
  void website;
  return rest;
}

/**
 * The apply form's files: each streamed once to its final place (files.ts, durableUploadStorage),
 * and only after the form's token has been read and verified (core/forms.ts).
 */
export function uploads(ctx: AppContext): UploadRoute[] {
  const { config } = ctx;
  const applyLimiter = rateLimit({
    store: ctx.rateLimitStore('apply'),
    windowMs: 15 * 60_000,
    limit: config.applyRateLimit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skipFailedRequests: true,
    handler: (_req, res) => {
      res.status(429).render('errors/error', { status: 429 });
    },
  });
  return [
    {
      path: '/offres/:slug/postuler',
      before: [applyLimiter],
      files: FILE_FIELDS.map((name) => ({ name, maxCount: 1 })),
      // Up to 10 questions of the posting (questions/schemas.ts MAX_QUESTIONS) on top of the form's own fields.
      limits: { fileSize: config.uploadMaxBytes, files: 2, fields: 32, fieldSize: 100_000, parts: 36 },
      storage: durableUploadStorage(config.uploadDir),
    },
    {
      // The candidate's private link: one more document at a time, same cap and checks.
      path: '/candidature/:token/documents',
      files: [{ name: 'document', maxCount: 1 }],
      limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 5, fieldSize: 1_000, parts: 6 },
      storage: durableUploadStorage(config.uploadDir),
    },
  ];
}

export function router(ctx: AppContext): Router {
  const { db, config, i18n } = ctx;
  const r = Router();

  const applyView = 'applications/apply';
  const applyLocals = (posting: NonNullable<ReturnType<typeof postingForApplication>>) => ({
    posting,
    questions: questionsOf(db, posting.id),
    sources: SOURCES,
    maxMegabytes: Math.round((config.uploadMaxBytes / 1024 / 1024) * 10) / 10,
    retentionMonths: config.retentionMonths,
    talentPoolMonths: config.talentPoolMonths,
  });

  function openPosting(slug: string) {
    const posting = postingForApplication(db, slug);
    if (!posting || posting.status === 'draft') throw new NotFound();
    return posting;
  }

  /** Where every accepted (or silently dropped) submission lands: POST-redirect-GET, one page for all. */
  const sentPath = (slug: string) => `/offres/${slug}/postuler/envoyee`;

  r.get('/offres/:slug/postuler/envoyee', (req, res) => {
    // Reloading this page sends nothing: it reads the posting and renders the same text for
    // a first application, a second one with the same address, a capped one and spam.
    const posting = openPosting(slugOr404(req.params.slug));
    res.render('applications/sent', { posting });
  });

  r.get('/offres/:slug/postuler', (req, res) => {
    const posting = openPosting(slugOr404(req.params.slug));
    if (!isOpen(posting)) return res.status(410).render('jobs/closed', { posting });
    res.render(applyView, { ...applyLocals(posting), values: { talent_pool: '' } });
  });

  // Rate limit, body and files, and the token: read before this handler (uploads() above, core/forms.ts).
  r.post('/offres/:slug/postuler', async (req, res) => {
    const slug = slugOr404(req.params.slug);
    let committed = false;
    // Answered after the clean-up below (set only where the request succeeded), so that nothing
    // refused is left on disk once the visitor has the answer.
    let sentTo: string | undefined;
    try {
      const uploadErr = uploadFailure(req);
      const posting = openPosting(slug);
      const locals = applyLocals(posting);
      const values = formValues(req.body);
      if (uploadErr) {
        const { fields, status } = uploadError(uploadErr);
        throw new Invalid(fields, applyView, { ...locals, values }, status);
      }
      // Honeypot: people never see this field; a filled one gets the same page and nothing is kept.
      const honeypot = (req.body as Record<string, unknown> | undefined)?.website;
      if (typeof honeypot === 'string' && honeypot.trim() !== '') {
        sentTo = sentPath(posting.slug);
        return;
      }
      if (!isOpen(posting)) throw new Invalid({ _form: 'applications.errors.postingClosed' }, applyView, { ...locals, values }, 409);

      const files = req.files && !Array.isArray(req.files) ? req.files : {};
      const uploaded: service.UploadedFile[] = FILE_FIELDS.flatMap((field) =>
        (files[field] ?? []).map((f) => {
          const streamed = f as typeof f & StreamedFile;
          return {
            field,
            path: f.path,
            originalName: Buffer.from(f.originalname, 'latin1').toString('utf8'),
            size: f.size,
            head: streamed.head,
            stored: { storedName: streamed.storedName, sha256: streamed.sha256, size: streamed.size },
          };
        }),
      );
      const parsed = ApplySchema.safeParse(req.body ?? {});
      const fileCheck = service.checkFiles(uploaded);
      const answers = parseAnswers(locals.questions, req.body);
      const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...answers.errors, ...fileCheck.errors };
      if (!parsed.success || Object.keys(errors).length) throw new Invalid(errors, applyView, { ...locals, values });

      // The files are flushed; their names become durable before the rows that point at them.
      if (uploaded.length) await namesDurable(req, config.uploadDir);
      // Shared with the region: the documents' text is read now, for the pool's search.
      if (parsed.data.region_pool) for (const f of fileCheck.checked) f.text = await extractFileText(storedPath(config.uploadDir, f.stored!.storedName), f.type);
      // The answer does not depend on the outcome (created, already applied, over the mail cap):
      // what happened is told only to the address, by mail.
      const result = service.submitApplication(db, posting, parsed.data, fileCheck.checked, { baseUrl: config.baseUrl, uploadDir: config.uploadDir, translator: i18n.translator, locale: res.locals.locale as Locale, callerRemovesFiles: true }, { questions: locals.questions, values: answers.values });
      committed = result.outcome === 'created';
      sentTo = sentPath(posting.slug);
    } finally {
      // Refused, failed, already applied or a honeypot: nothing of this request stays on disk.
      // Removed off the event loop (a 2 MB unlink blocked every other request for ~1 ms).
      if (!committed) await removeStoredAsync(config.uploadDir, filesWrittenFor(req));
      if (sentTo) res.redirect(303, sentTo);
    }
  });

  // ---- the candidate's private link -----------------------------------------------------------------
  function tokenOf(req: Request): string {
    const token = req.params.token;
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw new NotFound();
    return token;
  }

  /** The application behind a valid link; an expired or revoked link gets an explaining page. */
  function withLink(req: Request, res: Response) {
    const link = service.resolveLink(db, tokenOf(req));
    if (link.state !== 'valid') {
      res.status(link.state === 'unknown' ? 404 : 410).render('applications/link-invalid', { state: link.state });
      return undefined;
    }
    return link;
  }

  const candidateView = 'applications/candidate';
  function candidateLocals(a: service.LinkedApplication, token: string) {
    const postingOpen = isOpen({ status: a.posting_status, deadline: a.posting_deadline });
    return {
      a,
      token,
      documents: service.candidateDocuments(db, a.id),
      events: service.candidateEvents(db, a.id),
      mayWithdraw: service.mayWithdraw(a.status),
      mayComplete: service.mayComplete(a.status),
      mayResume: service.mayResume(a, postingOpen),
      interviews: upcomingInterviewsOf(db, a.id),
      answers: answersOfApplications(db, [a.id]).get(a.id) ?? [],
      maxMegabytes: Math.round((config.uploadMaxBytes / 1024 / 1024) * 10) / 10,
      scheduling: candidateScheduling(db, a.id),
      retentionMonths: config.retentionMonths,
      talentPoolMonths: config.talentPoolMonths,
    };
  }

  r.get('/candidature/:token', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    res.render(candidateView, { ...candidateLocals(link.application, tokenOf(req)), values: { message: link.application.message } });
  });

  r.post('/candidature/:token/documents', async (req, res) => {
    const token = tokenOf(req);
    let committed = false;
    try {
      const uploadErr = uploadFailure(req);
      const link = withLink(req, res);
      if (!link) return;
      const a = link.application;
      const refuse = (fields: Record<string, string>, status = 422): never => {
        throw new Invalid(fields, candidateView, { ...candidateLocals(a, token), values: { message: a.message } }, status);
      };
      if (uploadErr) {
        const { fields, status } = uploadError(uploadErr);
        const code = (uploadErr as { code?: string }).code;
        const one = code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE';
        refuse({ document: one ? 'applications.errors.oneDocument' : (Object.values(fields)[0] ?? 'applications.errors.uploadFailed') }, status);
      }
      if (!service.mayComplete(a.status)) refuse({ document: 'applications.errors.notCompletable' }, 409);
      const parsed = CandidateDocumentSchema.safeParse(req.body ?? {});
      if (!parsed.success) return refuse(fieldErrors(parsed.error));
      const received = req.files && !Array.isArray(req.files) ? req.files.document?.[0] : undefined;
      const f = received as (NonNullable<typeof received> & StreamedFile) | undefined;
      if (!f) return refuse({ document: 'applications.errors.documentRequired' });
      await namesDurable(req, config.uploadDir);
      const file: service.UploadedFile = {
        field: 'cv',
        path: f.path,
        originalName: Buffer.from(f.originalname, 'latin1').toString('utf8'),
        size: f.size,
        head: f.head,
        stored: { storedName: f.storedName, sha256: f.sha256, size: f.size },
      };
      if (a.region_pool_consent === 1) {
        const type = detectFileType(fs.readFileSync(storedPath(config.uploadDir, f.storedName)));
        if (type) file.text = await extractFileText(storedPath(config.uploadDir, f.storedName), type);
      }
      const { errors } = service.addCandidateDocument(db, a, file, parsed.data.kind, { uploadDir: config.uploadDir });
      if (Object.keys(errors).length) refuse(errors, errors.document === 'applications.errors.notCompletable' ? 409 : 422);
      committed = true;
      flash(req, 'success', 'applications.flash.documentAdded');
      res.redirect(303, `/candidature/${token}`);
    } finally {
      // Refused or failed: the file of this request does not stay on disk.
      if (!committed) removeStored(config.uploadDir, filesWrittenFor(req));
    }
  });

  r.post('/candidature/:token/message', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const a = link.application;
    const token = tokenOf(req);
    const parsed = CandidateMessageSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new Invalid(fieldErrors(parsed.error), candidateView, { ...candidateLocals(a, token), values: formValues(req.body) });
    const done = service.updateCandidateMessage(db, a, parsed.data.message);
    if (done === 'refused') {
      throw new Invalid({ message: 'applications.errors.notCompletable' }, candidateView, { ...candidateLocals(a, token), values: formValues(req.body) }, 409);
    }
    flash(req, done === 'updated' ? 'success' : 'info', done === 'updated' ? 'applications.flash.messageUpdated' : 'applications.flash.messageUnchanged');
    res.redirect(303, `/candidature/${token}`);
  });

  r.post('/candidature/:token/reprendre', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const a = link.application;
    const done = service.resumeApplication(db, a, isOpen({ status: a.posting_status, deadline: a.posting_deadline }));
    flash(req, done ? 'success' : 'error', done ? 'applications.flash.resumed' : 'applications.flash.notResumable');
    res.redirect(303, `/candidature/${tokenOf(req)}`);
  });

  r.post('/candidature/:token/retirer', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const done = service.withdrawApplication(db, link.application, { translator: i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });
    if (!done.withdrawn) flash(req, 'error', 'applications.flash.notWithdrawable');
    else if (!done.interviewsCancelled) flash(req, 'success', 'applications.flash.withdrawn');
    else flash(req, 'success', (res.locals.t as Translate)('applications.flash.withdrawnInterviews', { n: done.interviewsCancelled }));
    res.redirect(`/candidature/${req.params.token}`);
  });

  r.post('/candidature/:token/vivier', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    service.leaveTalentPool(db, link.application);
    flash(req, 'success', 'applications.flash.talentPoolLeft');
    res.redirect(`/candidature/${req.params.token}`);
  });

  r.post('/candidature/:token/vivier-regional', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    service.leaveRegionPool(db, link.application);
    flash(req, 'success', 'applications.flash.regionPoolLeft');
    res.redirect(303, `/candidature/${req.params.token}`);
  });

  r.post('/candidature/:token/desactiver', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    service.revokeCandidateLink(db, link.application, link.linkId);
    res.render('applications/link-invalid', { state: 'revokedNow' });
  });

  /** The copy of everything kept about the person in this CPTS: JSON, the readable summary and the documents. */
  r.get('/candidature/:token/donnees.zip', async (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const { data } = privacy.exportForCandidate(db, link.application);
    const summary = await renderToString(res, 'privacy/access', { ...summaryLocals(res, data), standalone: true, backUrl: null });
    await sendAccessZip(res, 'ma-candidature.zip', data, summary, config.uploadDir);
  });

  r.get('/candidature/:token/donnees', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const { data } = privacy.exportForCandidate(db, link.application);
    res.render('privacy/access', { ...summaryLocals(res, data), standalone: false, backUrl: `/candidature/${req.params.token}`, zipUrl: `/candidature/${req.params.token}/donnees.zip` });
  });

  r.get('/candidature/:token/supprimer', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const person = privacy.personOfApplication(db, link.application);
    res.render('applications/erase', { a: link.application, token: req.params.token, postings: privacy.postingsOf(db, person) });
  });

  r.post('/candidature/:token/supprimer', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const person = privacy.personOfApplication(db, link.application);
    parseInput(CandidateEraseConfirm, req.body, { view: 'applications/erase', locals: { a: link.application, token: req.params.token, postings: privacy.postingsOf(db, person) } });
    privacy.eraseFromCandidateLink(db, link.application, config.uploadDir, { translator: i18n.translator, baseUrl: config.baseUrl, ip: clientIp(req) });
    res.render('applications/erased');
  });

  // ---- bureau side -------------------------------------------------------------------------------------
  // Applications are listed and their documents opened in the pipeline, which applies the
  // anonymised screening and records openings; these addresses (in older mails) lead there.
  r.get('/gestion/offres/:id/candidatures', requireAuth, (req, res) => {
    const posting = service.postingForApplications(db, actor(req), idOr404(req.params.id));
    res.redirect(301, `/recrutement/offres/${posting.id}/liste`);
  });

  r.get('/gestion/documents/:id', requireAuth, (req, res) => {
    const doc = service.documentRef(db, actor(req), idOr404(req.params.id));
    res.redirect(301, `/recrutement/candidatures/${doc.application_id}/documents/${doc.id}`);
  });

  return r;
}
