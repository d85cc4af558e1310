import { Router } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { allowPublicCaching, etagOf } from '../../core/cache-control.js';
import { Conflict, NotFound } from '../../core/errors.js';
import { flash, idOr404 } from '../../core/http.js';
import { can } from '../../core/policy.js';
import { parseInput } from '../../core/validate.js';
import { checkForPosting } from '../funding/service.js';
import { atomFeed, jobPostingJsonLd, scriptSafeJson } from './feeds.js';
import { renderMarkdown } from './markdown.js';
import { publishedMarkdown } from './conditions.js';
import { tagAuthority } from '../../core/instance.js';
import { messages as jobsMessages } from './messages.js';
import type { PostingRow } from './queries.js';
import { BoardQuerySchema, NewPostingSchema, PostingSchema, SettingsSchema, TransitionSchema, WaitingDaysSchema } from './schemas.js';
import * as service from './service.js';
import { questionsOf } from '../questions/service.js';

export const messages = jobsMessages;


/** A route slug: lowercase letters, digits and dashes only; anything else cannot exist. */
function slugOr404(value: unknown): string {
  if (typeof value !== 'string' || !/^[a-z0-9-]{1,120}$/.test(value)) throw new NotFound();
  return value;
}

export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  // Postings are written in French whatever the reader's language: so is what is written from their fields.
  const postingLanguage = ctx.i18n.translator('fr');

  // ---- bureau side: the postings of one CPTS ----------------------------------------------------
  r.get('/organisations/:id/offres', requireAuth, (req, res) => {
    res.render('jobs/org-postings', service.postingsOfOrganisation(db, actor(req), idOr404(req.params.id)));
  });

  const newView = 'jobs/new';
  r.get('/organisations/:id/offres/nouvelle', requireAuth, (req, res) => {
    const { org } = service.postingsOfOrganisation(db, actor(req), idOr404(req.params.id));
    res.render(newView, { org, values: { template: 'coordinator' } });
  });

  r.post('/organisations/:id/offres', requireAuth, (req, res) => {
    const me = actor(req);
    const { org } = service.postingsOfOrganisation(db, me, idOr404(req.params.id));
    const input = parseInput(NewPostingSchema, req.body, { view: newView, locals: { org } });
    const created =
      input.template === 'blank' ? service.createBlankPosting(db, me, org.id, input.title) : service.createPostingFromTemplate(db, me, org.id, input.template);
    flash(req, 'success', 'jobs.flash.created');
    res.redirect(`/gestion/offres/${created.id}/modifier`);
  });

  r.post('/organisations/:id/offres/reglages', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    service.postingsOfOrganisation(db, actor(req), orgId);
    const input = parseInput(SettingsSchema, req.body);
    service.setNotifyMode(db, actor(req), orgId, input.notify_mode);
    flash(req, 'success', 'jobs.flash.settingsSaved');
    res.redirect(`/organisations/${orgId}/offres`);
  });

  r.post('/organisations/:id/offres/delai-reponse', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    const page = service.postingsOfOrganisation(db, actor(req), orgId);
    const input = parseInput(WaitingDaysSchema, req.body, { view: 'jobs/org-postings', locals: page });
    service.setWaitingDays(db, actor(req), orgId, input.waiting_days);
    flash(req, 'success', 'waiting.form.saved');
    res.redirect(303, `/organisations/${orgId}/offres`);
  });

  // ---- bureau side: one posting ------------------------------------------------------------------
  r.get('/gestion/offres/:id', requireAuth, (req, res) => {
    const me = actor(req);
    const { posting, org } = service.managedPosting(db, me, idOr404(req.params.id));
    res.render('jobs/manage', {
      posting,
      org,
      descriptionHtml: renderMarkdown(publishedMarkdown(posting, postingLanguage)),
      warnings: service.warningsOf(posting),
      history: service.historyOf(db, posting),
      transitions: service.allowedTransitions(posting.status),
      problems: posting.status === 'draft' ? service.publicationProblems(posting, service.todayInParis()) : {},
      mayViewApplications: can(me, 'application.view', org),
      isOpen: service.isOpen(posting),
      questions: questionsOf(db, posting.id),
      // Can the CPTS afford this post? On drafts, for the bureau.
      funding: posting.status === 'draft' ? checkForPosting(db, me, posting) : undefined,
    });
  });

  const editView = 'jobs/edit';
  const editLocals = (posting: PostingRow, org: { id: number; name: string }) => ({ posting, org, warnings: service.warningsOf(posting) });

  r.get('/gestion/offres/:id/modifier', requireAuth, (req, res) => {
    const { posting, org } = service.managedPosting(db, actor(req), idOr404(req.params.id));
    res.render(editView, { ...editLocals(posting, org), values: service.formValues(posting) });
  });

  r.post('/gestion/offres/:id/modifier', requireAuth, (req, res) => {
    const me = actor(req);
    const { posting, org } = service.managedPosting(db, me, idOr404(req.params.id));
    const form = { view: editView, locals: { ...editLocals(posting, org), values: req.body } };
    const input = parseInput(PostingSchema, req.body, form);
    const changed = service.updatePosting(db, me, posting.id, input, form);
    const warnings = service.warningsOf(input);
    flash(req, warnings.length ? 'info' : 'success', changed.length === 0 ? 'jobs.flash.unchanged' : warnings.length ? 'jobs.flash.savedWithWarnings' : 'jobs.flash.saved');
    res.redirect(`/gestion/offres/${posting.id}`);
  });

  r.get('/gestion/offres/:id/supprimer', requireAuth, (req, res) => {
    const { posting, org } = service.managedPosting(db, actor(req), idOr404(req.params.id));
    if (posting.status !== 'draft' || posting.published_at !== null) {
      flash(req, 'error', 'jobs.flash.deleteRefused');
      return res.redirect(`/gestion/offres/${posting.id}`);
    }
    res.render('jobs/delete', { posting, org });
  });

  r.post('/gestion/offres/:id/supprimer', requireAuth, (req, res) => {
    const me = actor(req);
    const id = idOr404(req.params.id);
    try {
      const deleted = service.deleteDraft(db, me, id);
      flash(req, 'success', 'jobs.flash.deleted');
      res.redirect(`/organisations/${deleted.organisationId}/offres`);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'jobs.flash.deleteRefused');
      res.redirect(`/gestion/offres/${id}`);
    }
  });

  r.post('/gestion/offres/:id/statut', requireAuth, (req, res) => {
    const me = actor(req);
    const { posting, org } = service.managedPosting(db, me, idOr404(req.params.id));
    const input = parseInput(TransitionSchema, req.body);
    try {
      const status = service.transitionPosting(db, me, posting.id, input.action, (p) => ({
        view: editView,
        locals: { ...editLocals(p, org), values: service.formValues(p) },
      }));
      flash(req, 'success', `jobs.flash.status.${status}`);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', 'jobs.flash.transitionRefused');
    }
    res.redirect(`/gestion/offres/${posting.id}`);
  });

  // ---- public board --------------------------------------------------------------------------------
  r.get('/offres', (req, res) => {
    const query = BoardQuerySchema.parse(req.query);
    const result = service.publicBoard(db, query);
    const keep = new URLSearchParams();
    for (const k of ['region', 'department', 'kind', 'contract'] as const) if (query[k]) keep.set(k, String(query[k]));
    const qs = keep.toString();
    ctx.pageCache.render(req, res, 'jobs/board', { ...result, query, pageBase: `/offres?${qs ? `${qs}&` : ''}`, feedUrl: '/offres.atom' });
  });

  r.get('/offres.atom', (req, res) => {
    const t = res.locals.t as (k: string) => string;
    const xml = atomFeed(service.openPostings(db), {
      baseUrl: config.baseUrl,
      tagAuthority: tagAuthority(db, config.baseUrl),
      title: t('jobs.feed.title'),
      subtitle: t('jobs.feed.subtitle'),
      now: new Date(),
      t: postingLanguage,
    });
    allowPublicCaching(req, res, etagOf(xml));
    res.type('application/atom+xml; charset=utf-8').send(xml);
  });

  r.get('/cpts/:slug/offres', (req, res) => {
    const { org, postings } = service.careersPage(db, slugOr404(req.params.slug));
    ctx.pageCache.render(req, res, 'jobs/careers', { org, postings });
  });

  r.get('/offres/:slug', (req, res) => {
    const posting = service.publicPosting(db, slugOr404(req.params.slug));
    if (!service.isOpen(posting)) return res.status(410).render('jobs/closed', { posting });
    ctx.pageCache.render(req, res, 'jobs/posting', {
      posting,
      descriptionHtml: renderMarkdown(publishedMarkdown(posting, postingLanguage)),
      jsonLd: scriptSafeJson(jobPostingJsonLd(posting, config.baseUrl, postingLanguage)),
      canonical: `${config.baseUrl}/offres/${posting.slug}`,
      questions: questionsOf(db, posting.id),
    });
  });

  return r;
}

