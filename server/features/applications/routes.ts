import { ZipArchive } from 'archiver';
import { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import multer from 'multer';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { verifyCsrf } from '../../core/csrf.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { clientIp, flash, idOr404 } from '../../core/http.js';
import { fieldErrors } from '../../core/validate.js';
import { upcomingInterviewsOf } from '../interviews/service.js';
import { isOpen, postingForApplication } from '../jobs/service.js';
import { durableUploadStorage, filesWrittenFor, removeStored, storedPath, syncDocumentsDir, type StreamedFile } from './files.js';
import { messages as applicationMessages } from './messages.js';
import { ApplySchema, SOURCES, TOKEN_PATTERN } from './schemas.js';
import * as service from './service.js';

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

export function router(ctx: AppContext): Router {
  const { db, config, i18n } = ctx;
  const r = Router();
  const mailT = i18n.translator('fr');

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

  const applyView = 'applications/apply';
  const applyLocals = (posting: NonNullable<ReturnType<typeof postingForApplication>>) => ({
    posting,
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

  r.get('/offres/:slug/postuler', (req, res) => {
    const posting = openPosting(slugOr404(req.params.slug));
    if (!isOpen(posting)) return res.status(410).render('jobs/closed', { posting });
    res.render(applyView, { ...applyLocals(posting), values: { talent_pool: '' } });
  });

  const storage = durableUploadStorage(config.uploadDir);
  /** Runs multer: each file is streamed once to its final place (files.ts, durableUploadStorage). */
  function receive(req: Request, res: Response): Promise<unknown> {
    const upload = multer({
      storage,
      limits: { fileSize: config.uploadMaxBytes, files: 2, fields: 20, fieldSize: 100_000, parts: 24 },
    }).fields(FILE_FIELDS.map((name) => ({ name, maxCount: 1 })));
    return new Promise((resolve) => upload(req, res, (err: unknown) => resolve(err)));
  }

  r.post('/offres/:slug/postuler', applyLimiter, async (req, res) => {
    const slug = slugOr404(req.params.slug);
    let committed = false;
    try {
      const uploadErr = await receive(req, res);
      verifyCsrf(req);
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
        return res.render('applications/sent', { posting, email: '' });
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
      const errors = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...fileCheck.errors };
      if (!parsed.success || Object.keys(errors).length) throw new Invalid(errors, applyView, { ...locals, values });

      // The files are flushed; their names become durable before the rows that point at them.
      if (uploaded.length) await syncDocumentsDir(config.uploadDir);
      const result = service.submitApplication(db, posting, parsed.data, fileCheck.checked, { baseUrl: config.baseUrl, uploadDir: config.uploadDir, t: mailT });
      committed = true;
      res.render('applications/sent', { posting, email: parsed.data.email, updated: result.updated });
    } finally {
      // Refused, failed or a honeypot: nothing of this request stays on disk.
      if (!committed) removeStored(config.uploadDir, filesWrittenFor(req));
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
    res.set('Cache-Control', 'no-store');
    const link = service.resolveLink(db, tokenOf(req));
    if (link.state !== 'valid') {
      res.status(link.state === 'unknown' ? 404 : 410).render('applications/link-invalid', { state: link.state });
      return undefined;
    }
    return link;
  }

  r.get('/candidature/:token', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const a = link.application;
    res.render('applications/candidate', {
      a,
      token: req.params.token,
      documents: service.candidateDocuments(db, a.id),
      events: service.candidateEvents(db, a.id),
      mayWithdraw: service.mayWithdraw(a.status),
      interviews: upcomingInterviewsOf(db, a.id),
      retentionMonths: config.retentionMonths,
      talentPoolMonths: config.talentPoolMonths,
    });
  });

  r.post('/candidature/:token/retirer', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const done = service.withdrawApplication(db, link.application);
    flash(req, done ? 'success' : 'error', done ? 'applications.flash.withdrawn' : 'applications.flash.notWithdrawable');
    res.redirect(`/candidature/${req.params.token}`);
  });

  r.post('/candidature/:token/vivier', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    service.leaveTalentPool(db, link.application);
    flash(req, 'success', 'applications.flash.talentPoolLeft');
    res.redirect(`/candidature/${req.params.token}`);
  });

  r.post('/candidature/:token/desactiver', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    service.revokeCandidateLink(db, link.application, link.linkId);
    res.render('applications/link-invalid', { state: 'revokedNow' });
  });

  r.get('/candidature/:token/donnees.zip', async (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    const data = service.exportData(db, link.application);
    res.attachment('ma-candidature.zip');
    res.type('application/zip');
    const zip = new ZipArchive({ zlib: { level: 6 } });
    const finished = new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      res.on('close', resolve);
    });
    zip.pipe(res);
    zip.append(JSON.stringify(data.json, null, 2), { name: 'candidature.json' });
    for (const d of data.documents) zip.file(storedPath(config.uploadDir, d.storedName), { name: d.name });
    await zip.finalize();
    await finished;
  });

  r.get('/candidature/:token/supprimer', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    res.render('applications/erase', { a: link.application, token: req.params.token });
  });

  r.post('/candidature/:token/supprimer', (req, res) => {
    const link = withLink(req, res);
    if (!link) return;
    if ((req.body as Record<string, unknown>)?.confirm !== '1') {
      return res.status(422).render('applications/erase', { a: link.application, token: req.params.token, errors: { confirm: 'applications.errors.confirmErase' } });
    }
    service.eraseApplication(db, link.application, config.uploadDir, clientIp(req));
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
