import { Router, type Request } from 'express';
import type { AppContext } from '../../core/context.js';
import { actor, requireAuth } from '../../core/auth.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { flash, idOr404, idParam } from '../../core/http.js';
import { parseInput } from '../../core/validate.js';
import { checkForWorkloadReview } from '../funding/service.js';
import { createPostingFromTemplate } from '../jobs/service.js';
import { messages as onboardingMessages } from './messages.js';
import { OWNER_ROLES, STEP_TAGS } from './reference.js';
import {
  AssignSchema,
  CommentSchema,
  CopyTemplateSchema,
  DigestPreferenceSchema,
  PlanFilterSchema,
  MoveStepSchema,
  NewTemplateSchema,
  StartPlanSchema,
  StepStatusSchema,
  TemplateNameSchema,
  TemplateStepSchema,
  WorkloadReviewSchema,
} from './schemas.js';
import * as service from './service.js';
import { todayInParis } from './dates.js';

export const messages = onboardingMessages;


export function router(ctx: AppContext): Router {
  const { db, config } = ctx;
  const r = Router();
  const mail = { baseUrl: config.baseUrl, translator: ctx.i18n.translator };

  // ---- plans of a CPTS ----------------------------------------------------------------------
  r.get('/organisations/:id/integration', requireAuth, (req, res) => {
    res.render('onboarding/org-plans', service.organisationPlans(db, actor(req), idOr404(req.params.id)));
  });

  const startView = 'onboarding/start';
  const startLocals = (req: Request) => {
    const choices = service.startPlanChoices(db, actor(req), idOr404(req.params.id));
    return { ...choices, today: todayInParis() };
  };
  r.get('/organisations/:id/integration/nouveau', requireAuth, (req, res) => {
    const locals = startLocals(req);
    const userId = idParam(req.query.personne);
    // The template that matches the post: the chosen person's, else the only kind of staff there is.
    const person = locals.staff.find((s) => s.user_id === userId) ?? (new Set(locals.staff.map((s) => s.role)).size === 1 ? locals.staff[0] : undefined);
    const template = person ? locals.templates.find((tpl) => tpl.kind === person.role) : undefined;
    res.render(startView, { ...locals, values: { start_date: locals.today, user_id: userId ?? (locals.staff.length === 1 ? locals.staff[0].user_id : ''), template_id: template?.id ?? '' } });
  });

  r.post('/organisations/:id/integration', requireAuth, (req, res) => {
    const locals = startLocals(req);
    const input = parseInput(StartPlanSchema, req.body, { view: startView, locals });
    const person = locals.staff.find((s) => s.user_id === input.user_id);
    const template = locals.templates.find((t) => t.id === input.template_id);
    const fields: Record<string, string> = {};
    if (!person) fields.user_id = 'onboarding.errors.hire';
    if (!template) fields.template_id = 'errors.choice';
    else if (person && template.kind !== person.role) fields.template_id = 'onboarding.errors.templateKind';
    if (Object.keys(fields).length || !person || !template) throw new Invalid(fields, startView, { ...locals, values: req.body });
    const { planId, farStartDate } = service.createPlanForHire(db, actor(req), {
      organisationId: locals.org.id,
      userId: person.user_id,
      kind: person.role,
      startDate: input.start_date,
      templateId: template.id,
    }, new Date(), mail);
    flash(req, 'success', 'onboarding.plan.created');
    if (farStartDate) flash(req, 'info', 'onboarding.plan.farStartDate');
    res.redirect(`/integration/${planId}`);
  });

  r.post('/organisations/:id/modeles-integration', requireAuth, (req, res) => {
    const orgId = idOr404(req.params.id);
    const input = parseInput(CopyTemplateSchema, req.body);
    const id = service.copyTemplateForOrganisation(db, actor(req), orgId, input.template_id);
    flash(req, 'success', 'onboarding.template.copied');
    res.redirect(`/modeles-integration/${id}`);
  });

  // ---- one plan -----------------------------------------------------------------------------
  const planView = 'onboarding/plan';
  const planLocals = (req: Request, errorStep?: number) => {
    const { filtre } = PlanFilterSchema.parse(req.query);
    const page = service.planPage(db, actor(req), idOr404(req.params.planId), new Date(), filtre);
    // The funding check beside each workload review (for the CPTS's bureau only).
    const fundingChecks = new Map(
      page.phases.flatMap((p) => p.steps).filter((s) => s.tag === 'workload_review').map((s) => [s.id, checkForWorkloadReview(db, actor(req), page.plan.organisation_id, s.review?.posting_id)]),
    );
    return { ...page, errorStep, fundingChecks, digest: service.digestPreferenceOf(db, actor(req)) };
  };

  r.get('/integration/:planId', requireAuth, (req, res) => {
    res.render(planView, planLocals(req));
  });

  r.post('/integration/:planId/etapes/:stepId/statut', requireAuth, (req, res) => {
    const planId = idOr404(req.params.planId);
    const stepId = idOr404(req.params.stepId);
    const input = parseInput(StepStatusSchema, req.body, { view: planView, locals: planLocals(req, stepId) });
    service.setStepStatus(db, actor(req), planId, stepId, input);
    flash(req, 'success', `onboarding.status.saved.${input.status}`);
    res.redirect(`/integration/${planId}#etape-${stepId}`);
  });

  r.post('/integration/:planId/etapes/:stepId/commentaires', requireAuth, (req, res) => {
    const planId = idOr404(req.params.planId);
    const stepId = idOr404(req.params.stepId);
    const input = parseInput(CommentSchema, req.body, { view: planView, locals: planLocals(req, stepId) });
    service.addStepComment(db, actor(req), planId, stepId, input.body);
    flash(req, 'success', 'onboarding.comment.saved');
    res.redirect(`/integration/${planId}#etape-${stepId}`);
  });

  r.post('/integration/:planId/etapes/:stepId/responsable', requireAuth, (req, res) => {
    const planId = idOr404(req.params.planId);
    const stepId = idOr404(req.params.stepId);
    const form = { view: planView, locals: planLocals(req, stepId) };
    const input = parseInput(AssignSchema, req.body, form);
    service.assignStep(db, actor(req), planId, stepId, input.owner_user_id, mail, form);
    flash(req, 'success', 'onboarding.assign.saved');
    res.redirect(`/integration/${planId}#etape-${stepId}`);
  });

  r.post('/integration/rappels', requireAuth, (req, res) => {
    const input = parseInput(DigestPreferenceSchema, req.body);
    service.setDigestPreference(db, actor(req), input.digest);
    flash(req, 'success', 'onboarding.digestPref.saved');
    const back = typeof req.body?.back === 'string' && /^\/integration\/\d{1,12}$/.test(req.body.back) ? req.body.back : '/tableau-de-bord';
    res.redirect(back);
  });

  r.post('/integration/:planId/etapes/:stepId/bilan', requireAuth, (req, res) => {
    const planId = idOr404(req.params.planId);
    const stepId = idOr404(req.params.stepId);
    const input = parseInput(WorkloadReviewSchema, req.body, { view: planView, locals: planLocals(req, stepId) });
    service.recordWorkloadReview(db, actor(req), planId, stepId, input);
    flash(req, 'success', 'onboarding.review.saved');
    res.redirect(`/integration/${planId}#etape-${stepId}`);
  });

  r.post('/integration/:planId/etapes/:stepId/offre', requireAuth, (req, res) => {
    const planId = idOr404(req.params.planId);
    const stepId = idOr404(req.params.stepId);
    const postingId = service.openCaseManagerPosting(db, actor(req), planId, stepId, createPostingFromTemplate);
    flash(req, 'success', 'onboarding.review.postingCreated');
    res.redirect(`/gestion/offres/${postingId}`);
  });

  // ---- templates ----------------------------------------------------------------------------
  r.get('/regions/:id/modeles-integration', requireAuth, (req, res) => {
    res.render('onboarding/templates', { ...service.regionTemplatesFor(db, actor(req), idOr404(req.params.id)), values: { kind: 'coordinator' } });
  });

  r.post('/regions/:id/modeles-integration', requireAuth, (req, res) => {
    const locals = service.regionTemplatesFor(db, actor(req), idOr404(req.params.id));
    const input = parseInput(NewTemplateSchema, req.body, { view: 'onboarding/templates', locals });
    const id = service.createRegionTemplate(db, actor(req), locals.region.id, input);
    flash(req, 'success', 'onboarding.template.created');
    res.redirect(`/modeles-integration/${id}`);
  });

  r.post('/modeles-integration/:id/copier', requireAuth, (req, res) => {
    const id = service.copyRegionTemplate(db, actor(req), idOr404(req.params.id), res.locals.t('onboarding.template.copyLabel'));
    flash(req, 'success', 'onboarding.template.copiedRegion');
    res.redirect(`/modeles-integration/${id}`);
  });

  const templateViewName = 'onboarding/template';
  const stepOptions = { ownerRoles: OWNER_ROLES, tags: STEP_TAGS };
  const templateLocals = (req: Request) => ({ ...service.templateView(db, actor(req), idOr404(req.params.id)), ...stepOptions });

  r.get('/modeles-integration/:id', requireAuth, (req, res) => {
    const locals = templateLocals(req);
    res.render(templateViewName, { ...locals, values: { name: locals.template.name, owner_role: 'coordinator', due_offset_days: '0' } });
  });

  r.post('/modeles-integration/:id/nom', requireAuth, (req, res) => {
    const locals = templateLocals(req);
    const input = parseInput(TemplateNameSchema, req.body, { view: templateViewName, locals });
    service.renameTemplate(db, actor(req), locals.template.id, input.name);
    flash(req, 'success', 'onboarding.template.saved');
    res.redirect(`/modeles-integration/${locals.template.id}`);
  });

  r.post('/modeles-integration/:id/etapes', requireAuth, (req, res) => {
    const locals = templateLocals(req);
    const form = { view: templateViewName, locals: { ...locals, values: { ...req.body, name: locals.template.name } } };
    const input = parseInput(TemplateStepSchema, req.body, form);
    const stepId = service.addTemplateStep(db, actor(req), locals.template.id, input, form);
    flash(req, 'success', 'onboarding.template.stepAdded');
    res.redirect(`/modeles-integration/${locals.template.id}#etape-${stepId}`);
  });

  const stepView = 'onboarding/template-step';
  const stepLocals = (req: Request) => {
    const locals = templateLocals(req);
    const step = locals.steps.find((s) => s.id === idParam(req.params.stepId));
    if (!step) throw new NotFound();
    return { ...locals, step };
  };

  r.get('/modeles-integration/:id/etapes/:stepId', requireAuth, (req, res) => {
    const locals = stepLocals(req);
    const s = locals.step;
    const resources = (JSON.parse(s.resources) as { label: string; url: string }[]).map((x) => `${x.label} | ${x.url}`).join('\n');
    res.render(stepView, { ...locals, values: { ...s, resources, recurring_every_days: s.recurring_every_days ?? '', recurring_label: s.recurring_label ?? '', tag: s.tag ?? '' } });
  });

  r.post('/modeles-integration/:id/etapes/:stepId', requireAuth, (req, res) => {
    const locals = stepLocals(req);
    const form = { view: stepView, locals };
    const input = parseInput(TemplateStepSchema, req.body, form);
    service.updateTemplateStep(db, actor(req), locals.template.id, locals.step.id, input, form);
    flash(req, 'success', 'onboarding.template.stepSaved');
    res.redirect(`/modeles-integration/${locals.template.id}#etape-${locals.step.id}`);
  });

  r.post('/modeles-integration/:id/etapes/:stepId/supprimer', requireAuth, (req, res) => {
    const templateId = idOr404(req.params.id);
    service.removeTemplateStep(db, actor(req), templateId, idOr404(req.params.stepId));
    flash(req, 'success', 'onboarding.template.stepRemoved');
    res.redirect(`/modeles-integration/${templateId}`);
  });

  r.post('/modeles-integration/:id/etapes/:stepId/deplacer', requireAuth, (req, res) => {
    const templateId = idOr404(req.params.id);
    const stepId = idOr404(req.params.stepId);
    const { direction } = parseInput(MoveStepSchema, req.body);
    service.moveTemplateStep(db, actor(req), templateId, stepId, direction);
    res.redirect(`/modeles-integration/${templateId}#etape-${stepId}`);
  });

  return r;
}
