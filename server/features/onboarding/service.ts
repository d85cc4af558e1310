import type { DB } from '../../core/db.js';
import { nowIso } from '../../core/db.js';
import { audit } from '../../core/audit.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { authorize, can, rolesIn, type Actor } from '../../core/policy.js';
import { formatDate, type Locale, type Translate } from '../../core/i18n.js';
import { enqueueMail, simpleMail } from '../../core/mailer.js';
import { exchangeSummary } from '../exchange/service.js';
import { correspondentsOfDepartment, nextEventOfRegion } from '../network/service.js';
import { addDays, dueDate, isFarFrom, nextOccurrence, relativeDue, todayInParis } from './dates.js';
import { nextWorkingDay } from './holidays.js';
import * as q from './queries.js';
import { referenceTemplates, type PlanKind } from './reference.js';
import type { TemplateStepInput } from './schemas.js';

// ---- templates ----------------------------------------------------------------------------

/** Seeds a region with the shipped templates it does not have yet; idempotent. */
export function ensureRegionTemplates(db: DB, regionId: number, now = new Date()): void {
  db.transaction(() => {
    for (const ref of referenceTemplates()) {
      if (q.regionHasReference(db, regionId, ref.key)) continue;
      const id = q.insertTemplate(db, { regionId, organisationId: null, kind: ref.key, referenceKey: ref.key, name: ref.name, phases: ref.phases, sourceId: null }, nowIso(now));
      ref.steps.forEach((s, i) =>
        q.insertTemplateStep(db, id, i + 1, {
          step_key: s.key,
          phase: s.phase,
          title: s.title,
          description: s.description,
          owner_role: s.owner_role,
          due_offset_days: s.due_offset_days,
          resources: s.resources,
          recurring_every_days: s.recurring?.every_days ?? null,
          recurring_label: s.recurring?.label ?? null,
          tag: s.tag,
        }),
      );
    }
  })();
}

export function isChargeOfRegion(actor: Actor, regionId: number): boolean {
  return actor.memberships.some((m) => m.role === 'charge_de_mission' && m.regionId === regionId);
}

/** Region templates: chargés de mission of the region; a CPTS template: its bureau (and chargés). */
export function canEditTemplate(db: DB, actor: Actor, t: q.TemplateRow): boolean {
  if (t.organisation_id === null) return isChargeOfRegion(actor, t.region_id);
  const org = q.organisationById(db, t.organisation_id);
  return !!org && can(actor, 'onboarding.manage', org);
}

export function editableTemplate(db: DB, actor: Actor, id: number): q.TemplateRow {
  const t = q.templateById(db, id);
  if (!t || !canEditTemplate(db, actor, t)) throw new NotFound();
  return t;
}

export function templateView(db: DB, actor: Actor, id: number) {
  const template = editableTemplate(db, actor, id);
  const org = template.organisation_id ? q.organisationById(db, template.organisation_id) : undefined;
  return { template, phases: JSON.parse(template.phases) as q.Phase[], steps: q.templateSteps(db, id), org, region: q.regionById(db, template.region_id) };
}

export function regionTemplatesFor(db: DB, actor: Actor, regionId: number) {
  const region = q.regionById(db, regionId);
  if (!region || !isChargeOfRegion(actor, regionId)) throw new NotFound();
  ensureRegionTemplates(db, regionId);
  return { region, templates: q.regionTemplates(db, regionId) };
}

/** Templates a CPTS may start a plan from: its own, then its region's. */
export function templatesAvailableTo(db: DB, org: q.OrgRow): q.TemplateRow[] {
  ensureRegionTemplates(db, org.region_id);
  return [...q.organisationTemplates(db, org.id), ...q.regionTemplates(db, org.region_id)];
}

function stepFields(input: TemplateStepInput) {
  return {
    phase: input.phase,
    title: input.title,
    description: input.description,
    owner_role: input.owner_role,
    due_offset_days: input.due_offset_days,
    resources: input.resources,
    recurring_every_days: input.recurring_every_days,
    recurring_label: input.recurring_every_days === null ? null : input.recurring_label,
    tag: input.tag,
  };
}

function checkPhase(t: q.TemplateRow, input: TemplateStepInput, form?: { view: string; locals: Record<string, unknown> }) {
  const phases = JSON.parse(t.phases) as q.Phase[];
  if (!phases.some((p) => p.key === input.phase)) throw new Invalid({ phase: 'errors.choice' }, form?.view, { ...form?.locals, values: input });
}

export function addTemplateStep(db: DB, actor: Actor, templateId: number, input: TemplateStepInput, form?: { view: string; locals: Record<string, unknown> }, now = new Date()): number {
  return db.transaction(() => {
    const t = editableTemplate(db, actor, templateId);
    checkPhase(t, input, form);
    const id = q.insertTemplateStep(db, t.id, q.maxPosition(db, t.id) + 1, { step_key: null, ...stepFields(input) });
    q.touchTemplate(db, t.id, nowIso(now));
    return id;
  })();
}

export function updateTemplateStep(db: DB, actor: Actor, templateId: number, stepId: number, input: TemplateStepInput, form?: { view: string; locals: Record<string, unknown> }, now = new Date()): void {
  db.transaction(() => {
    const t = editableTemplate(db, actor, templateId);
    if (!q.templateStep(db, t.id, stepId)) throw new NotFound();
    checkPhase(t, input, form);
    q.updateTemplateStep(db, stepId, stepFields(input));
    q.touchTemplate(db, t.id, nowIso(now));
  })();
}

export function removeTemplateStep(db: DB, actor: Actor, templateId: number, stepId: number, now = new Date()): void {
  db.transaction(() => {
    const t = editableTemplate(db, actor, templateId);
    if (q.deleteTemplateStep(db, t.id, stepId).changes !== 1) throw new NotFound();
    q.touchTemplate(db, t.id, nowIso(now));
  })();
}

/**
 * Moves a step before or after its neighbour in the same phase (the order within a phase is what
 * the plan shows); positions are renumbered 1..n so gaps never accumulate.
 */
export function moveTemplateStep(db: DB, actor: Actor, templateId: number, stepId: number, direction: 'up' | 'down', now = new Date()): void {
  db.transaction(() => {
    const t = editableTemplate(db, actor, templateId);
    const steps = q.templateSteps(db, t.id);
    const i = steps.findIndex((s) => s.id === stepId);
    if (i < 0) throw new NotFound();
    const samePhase = steps.map((s, k) => ({ s, k })).filter((x) => x.s.phase === steps[i].phase);
    const at = samePhase.findIndex((x) => x.k === i);
    const other = samePhase[direction === 'up' ? at - 1 : at + 1];
    if (other) [steps[i], steps[other.k]] = [steps[other.k], steps[i]];
    steps.forEach((s, k) => q.setStepPosition(db, s.id, k + 1));
    q.touchTemplate(db, t.id, nowIso(now));
  })();
}

/** A new, empty region template with the usual phases; the chargée adds its steps. */
export function createRegionTemplate(db: DB, actor: Actor, regionId: number, input: { name: string; kind: PlanKind }, now = new Date()): number {
  return db.transaction(() => {
    const region = q.regionById(db, regionId);
    if (!region || !isChargeOfRegion(actor, regionId)) throw new NotFound();
    const phases = referenceTemplates().find((r) => r.key === input.kind)?.phases ?? referenceTemplates()[0].phases;
    const id = q.insertTemplate(db, { regionId, organisationId: null, kind: input.kind, referenceKey: null, name: input.name, phases, sourceId: null }, nowIso(now));
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'onboarding.template.created', targetType: 'onboarding_template', targetId: id });
    return id;
  })();
}

/** A copy of a region template, in the same region, to vary it. */
export function copyRegionTemplate(db: DB, actor: Actor, templateId: number, copyLabel: string, now = new Date()): number {
  return db.transaction(() => {
    const source = q.templateById(db, templateId);
    if (!source || source.organisation_id !== null || !isChargeOfRegion(actor, source.region_id)) throw new NotFound();
    const id = q.insertTemplate(
      db,
      { regionId: source.region_id, organisationId: null, kind: source.kind, referenceKey: null, name: `${source.name} (${copyLabel})`, phases: JSON.parse(source.phases), sourceId: source.id },
      nowIso(now),
    );
    for (const st of q.templateSteps(db, source.id)) q.insertTemplateStep(db, id, st.position, { ...st, resources: JSON.parse(st.resources) });
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'onboarding.template.copied', targetType: 'onboarding_template', targetId: id });
    return id;
  })();
}

export function renameTemplate(db: DB, actor: Actor, templateId: number, name: string, now = new Date()): void {
  const t = editableTemplate(db, actor, templateId);
  q.renameTemplate(db, t.id, name, nowIso(now));
}

/** A CPTS copies one of its region's templates (or its own) to adapt it. */
export function copyTemplateForOrganisation(db: DB, actor: Actor, organisationId: number, templateId: number, now = new Date()): number {
  return db.transaction(() => {
    const org = q.organisationById(db, organisationId);
    authorize(actor, 'onboarding.manage', org);
    const source = q.templateById(db, templateId);
    if (!source || source.region_id !== org.region_id || (source.organisation_id !== null && source.organisation_id !== org.id)) throw new NotFound();
    const id = q.insertTemplate(
      db,
      { regionId: org.region_id, organisationId: org.id, kind: source.kind, referenceKey: source.reference_key, name: `${source.name} (${org.name})`, phases: JSON.parse(source.phases), sourceId: source.id },
      nowIso(now),
    );
    for (const s of q.templateSteps(db, source.id)) {
      q.insertTemplateStep(db, id, s.position, { ...s, resources: JSON.parse(s.resources) });
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'onboarding.template.copied', organisationId: org.id, targetType: 'onboarding_template', targetId: id });
    return id;
  })();
}

// ---- plans --------------------------------------------------------------------------------

export type CreatePlanInput = { organisationId: number; userId: number; kind: PlanKind; startDate: string; templateId?: number };

/**
 * Instantiates an onboarding plan: the template's steps are copied with concrete due dates.
 * Safe inside a caller's transaction (the hire flow): better-sqlite3 nests it as a savepoint.
 * Returns the plan id and whether the start date is far from today (accepted, with a warning).
 */
export type MailContext = { baseUrl: string; translator: (locale: Locale) => Translate };

/** The default named owner of a step, by its role: the hire, the CPTS's first bureau member or coordinator, the region's chargé·e. */
function defaultOwner(people: q.PersonRow[], plan: { user_id: number; kind: string }, role: string): number | null {
  if (role === 'mentor') return null; // follows whoever is the active peer mentor
  if (role === 'coordinator') {
    if (plan.kind === 'coordinator') return plan.user_id;
    return people.find((p) => p.role === 'coordinator' && p.user_id !== plan.user_id)?.user_id ?? null;
  }
  return people.find((p) => p.role === role)?.user_id ?? null;
}

/** Tells each person the steps just given to them, in one mail per person. */
function notifyOwners(db: DB, mail: MailContext, plan: q.PlanRow, steps: { id: number; title: string; due_date: string; owner: number }[], actor: Actor, now: Date): void {
  const people = new Map(q.peopleOfPlan(db, plan).map((p) => [p.user_id, p]));
  const byOwner = new Map<number, typeof steps>();
  for (const st of steps) if (st.owner !== actor.id) byOwner.set(st.owner, [...(byOwner.get(st.owner) ?? []), st]);
  for (const [ownerId, own] of byOwner) {
    const person = people.get(ownerId);
    // Someone who has not activated their account yet (a new hire) starts from their invitation.
    if (!person || !person.active) continue;
    const t = mail.translator(person.locale);
    const message = simpleMail({
      subject: t('onboarding.assign.subject', { n: own.length, hire: plan.hire_name }),
      greeting: t('onboarding.digest.greeting', { name: person.name }),
      paragraphs: [
        t('onboarding.assign.intro', { by: actor.name, hire: plan.hire_name, org: plan.organisation_name }),
        ...own.map((st) => t('onboarding.assign.line', { title: st.title, date: formatDate(st.due_date, person.locale) })),
      ],
      action: { label: t('onboarding.assign.action'), url: `${mail.baseUrl}/integration/${plan.id}?filtre=mine` },
      footer: t('mail.footer'),
      lang: person.locale,
    });
    enqueueMail(db, { template: 'onboarding.assigned', to: person.email, organisationId: plan.organisation_id, ...message }, now);
  }
}

export function createPlanForHire(db: DB, actor: Actor, input: CreatePlanInput, now = new Date(), mail?: MailContext): { planId: number; farStartDate: boolean } {
  return db.transaction(() => {
    const org = q.organisationById(db, input.organisationId);
    authorize(actor, 'onboarding.manage', org);
    if (!q.membershipRole(db, input.userId, org.id, input.kind)) throw new Invalid({ user_id: 'onboarding.errors.hire' });
    const available = templatesAvailableTo(db, org).filter((t) => t.kind === input.kind);
    const template = input.templateId === undefined ? available[0] : available.find((t) => t.id === input.templateId);
    if (!template) throw new Invalid({ template_id: 'onboarding.errors.template' });
    const planId = q.insertPlan(
      db,
      { organisationId: org.id, userId: input.userId, kind: input.kind, templateId: template.id, templateName: template.name, phases: template.phases, startDate: input.startDate, createdBy: actor.id },
      nowIso(now),
    );
    const plan = q.planById(db, planId) as q.PlanRow;
    const people = q.peopleOfPlan(db, plan);
    const assigned: { id: number; title: string; due_date: string; owner: number }[] = [];
    for (const s of q.templateSteps(db, template.id)) {
      const due = dueDate(input.startDate, s.due_offset_days);
      const owner = defaultOwner(people, plan, s.owner_role);
      const stepId = q.insertPlanStep(db, planId, org.id, s, due, owner);
      if (owner !== null) assigned.push({ id: stepId, title: s.title, due_date: due, owner });
    }
    if (mail) notifyOwners(db, mail, plan, assigned, actor, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'onboarding.plan.created', organisationId: org.id, targetType: 'onboarding_plan', targetId: planId, details: { userId: input.userId, startDate: input.startDate } });
    return { planId, farStartDate: isFarFrom(input.startDate, todayInParis(now)) };
  })();
}

export type PlanAccess = { view: boolean; manage: boolean; isHire: boolean; isMentor: boolean; isBureau: boolean; isCharge: boolean; supervises: boolean; actorId: number };

export function planAccess(db: DB, actor: Actor, plan: q.PlanRow): PlanAccess {
  const org = { id: plan.organisation_id, region_id: plan.region_id };
  const manage = can(actor, 'onboarding.manage', org);
  const isHire = actor.id === plan.user_id;
  const isMentor = q.isActiveMentorOf(db, actor.id, plan.user_id, plan.organisation_id);
  // The CPTS's coordinator welcomes a new case manager and follows their plan.
  const supervises = plan.kind === 'case_manager' && rolesIn(actor, org).has('coordinator');
  const roles = rolesIn(actor, org);
  return { view: manage || isHire || supervises || isMentor, manage, isHire, isMentor, isBureau: roles.has('bureau'), isCharge: roles.has('charge_de_mission'), supervises, actorId: actor.id };
}

/**
 * Only a step's owner or the bureau completes it. A named owner is the owner; a step without one
 * belongs to whoever holds its role (the hire, the supervising coordinator, the chargé·e, the mentor).
 */
export function canTick(access: PlanAccess, step: { owner_role: string; owner_user_id: number | null }, planKind: string): boolean {
  if (access.isBureau) return true;
  if (step.owner_user_id !== null) return step.owner_user_id === access.actorId;
  switch (step.owner_role) {
    case 'coordinator':
      return planKind === 'coordinator' ? access.isHire : access.supervises;
    case 'mentor':
      return access.isMentor;
    case 'charge_de_mission':
      return access.isCharge;
    default:
      return false;
  }
}

export function isMine(access: PlanAccess, step: { owner_role: string; owner_user_id: number | null }, planKind: string): boolean {
  if (step.owner_user_id !== null) return step.owner_user_id === access.actorId;
  if (step.owner_role === 'bureau') return access.isBureau;
  return canTick({ ...access, isBureau: false }, step, planKind);
}

/** A plan the actor may see; another CPTS's plan is a 404. */
export function viewablePlan(db: DB, actor: Actor, planId: number): { plan: q.PlanRow; access: PlanAccess } {
  const plan = q.planById(db, planId);
  if (!plan) throw new NotFound();
  const access = planAccess(db, actor, plan);
  if (!access.view) throw new NotFound();
  return { plan, access };
}

export const PLAN_FILTERS = ['all', 'mine', 'overdue', 'todo'] as const;
export type PlanFilter = (typeof PLAN_FILTERS)[number];

export type PlanStepView = q.PlanStepRow & {
  resourceList: q.Resource[];
  nextOccurrence: string | null;
  overdue: boolean;
  relative: { key: string; days: number };
  mine: boolean;
  shown: boolean;
  mayTick: boolean;
  history: q.HistoryRow[];
  comments: q.CommentRow[];
  review?: q.WorkloadReviewRow;
};

/** Everything the plan page shows, in a fixed number of queries whatever the plan's size. */
export function planPage(db: DB, actor: Actor, planId: number, now = new Date(), filter: PlanFilter = 'all') {
  const { plan, access } = viewablePlan(db, actor, planId);
  const today = todayInParis(now);
  const history = q.historyOfPlan(db, plan.id);
  const comments = q.commentsOfPlan(db, plan.id);
  const reviews = new Map(q.workloadReviewsOfPlan(db, plan.id).map((r) => [r.step_id, r]));
  const exchange = exchangeSummary(db, actor, plan.organisation_id, now);
  const nextEvent = nextEventOfRegion(db, plan.region_id, now);
  const steps: PlanStepView[] = q.stepsOfPlans(db, [plan.id]).map((s) => {
    const overdue = s.status === 'todo' && s.due_date < today;
    const mine = isMine(access, s, plan.kind);
    const shown = filter === 'all' || (filter === 'mine' && mine && s.status === 'todo') || (filter === 'overdue' && overdue) || (filter === 'todo' && s.status === 'todo');
    // The network step shows the real next event and the exchange step the series' next
    // meeting: never a date computed from the template's rhythm that would contradict them.
    const liveDate = (s.tag === 'network' && nextEvent) || (s.tag === 'bureau_exchange' && exchange?.series);
    return {
    ...s,
    resourceList: JSON.parse(s.resources) as q.Resource[],
    nextOccurrence: s.recurring_every_days && s.status !== 'not_applicable' && !liveDate ? nextWorkingDay(nextOccurrence(s.due_date, s.recurring_every_days, today)) : null,
    overdue,
    relative: relativeDue(s.due_date, today),
    mine,
    shown,
    mayTick: canTick(access, s, plan.kind),
    history: history.filter((h) => h.step_id === s.id),
    comments: comments.filter((c) => c.step_id === s.id),
    review: reviews.get(s.id),
    };
  });
  const phases = (JSON.parse(plan.phases) as q.Phase[]).map((p) => {
    const own = steps.filter((s) => s.phase === p.key);
    const closed = own.filter((s) => s.status !== 'todo').length;
    return { ...p, steps: own, total: own.length, closed, percent: own.length ? Math.round((closed * 100) / own.length) : 100 };
  });
  // Steps whose phase was removed from the template still show, in a last group.
  const known = new Set(phases.map((p) => p.key));
  const orphans = steps.filter((s) => !known.has(s.phase));
  if (orphans.length) phases.push({ key: '_other', label: '', steps: orphans, total: orphans.length, closed: orphans.filter((s) => s.status !== 'todo').length, percent: 0 });
  const total = steps.length;
  const closed = steps.filter((s) => s.status !== 'todo').length;
  const needsNetwork = steps.some((s) => s.tag === 'correspondents' || s.tag === 'network');
  return {
    plan,
    access,
    today,
    phases,
    total,
    closed,
    percent: total ? Math.round((closed * 100) / total) : 100,
    mentor: q.mentorOfPlan(db, plan),
    correspondents: needsNetwork ? correspondentsOfDepartment(db, plan.region_id, plan.department) : [],
    nextEvent: needsNetwork ? nextEvent : undefined,
    farStartDate: isFarFrom(plan.start_date, plan.created_at.slice(0, 10)),
    filter,
    counts: {
      all: total,
      mine: steps.filter((s) => s.mine && s.status === 'todo').length,
      overdue: steps.filter((s) => s.overdue).length,
      todo: steps.filter((s) => s.status === 'todo').length,
    },
    people: access.manage ? q.peopleOfPlan(db, plan) : [],
    exchange,
  };
}

function tickableStep(db: DB, actor: Actor, planId: number, stepId: number) {
  const { plan, access } = viewablePlan(db, actor, planId);
  const step = q.planStep(db, plan.id, stepId);
  if (!step || !canTick(access, step, plan.kind)) throw new NotFound();
  return { plan, access, step };
}

/** Anyone who may see the plan may comment a step; only the owner or the bureau completes it. */
function commentableStep(db: DB, actor: Actor, planId: number, stepId: number) {
  const { plan, access } = viewablePlan(db, actor, planId);
  const step = q.planStep(db, plan.id, stepId);
  if (!step) throw new NotFound();
  return { plan, access, step };
}

/** Gives a step to a named person of the plan (or back to its role); the new owner is told by mail. */
export function assignStep(db: DB, actor: Actor, planId: number, stepId: number, ownerId: number | null, mail: MailContext, form?: { view: string; locals: Record<string, unknown> }, now = new Date()): void {
  db.transaction(() => {
    const { plan, access } = viewablePlan(db, actor, planId);
    const step = q.planStep(db, plan.id, stepId);
    if (!access.manage || !step) throw new NotFound();
    if (ownerId !== null && !q.peopleOfPlan(db, plan).some((p) => p.user_id === ownerId)) {
      throw new Invalid({ owner_user_id: 'errors.choice' }, form?.view, { ...form?.locals, values: { owner_user_id: String(ownerId) } });
    }
    q.setStepOwner(db, step.id, ownerId);
    if (ownerId !== null && ownerId !== step.owner_user_id) notifyOwners(db, mail, plan, [{ id: step.id, title: step.title, due_date: step.due_date, owner: ownerId }], actor, now);
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'onboarding.step.assigned', organisationId: plan.organisation_id, targetType: 'onboarding_plan', targetId: plan.id, details: { stepId: step.id, ownerId } });
  })();
}

/**
 * The exchange feature started the series from the plan's "bureau exchange" step: the step is
 * then done. False when the step is not such a step of this CPTS.
 */
export function completeExchangeStep(db: DB, actor: Actor, organisationId: number, stepId: number, now = new Date()): boolean {
  const planId = q.planIdOfStep(db, stepId, organisationId);
  const step = planId !== undefined ? q.planStep(db, planId, stepId) : undefined;
  if (!step || step.tag !== 'bureau_exchange') return false;
  if (step.status === 'todo') {
    q.setStepStatus(db, step.id, 'done', null, actor.id, nowIso(now));
    q.insertHistory(db, step.id, actor.id, 'done', null, nowIso(now));
  }
  return true;
}

export function digestPreferenceOf(db: DB, actor: Actor): 'daily' | 'weekly' | 'off' {
  return q.digestPreference(db, actor.id);
}

export function setDigestPreference(db: DB, actor: Actor, digest: 'daily' | 'weekly' | 'off', now = new Date()): void {
  q.setDigestPreference(db, actor.id, digest, nowIso(now));
}

export function setStepStatus(db: DB, actor: Actor, planId: number, stepId: number, input: { status: 'todo' | 'done' | 'not_applicable'; reason: string }, now = new Date()): void {
  db.transaction(() => {
    const { step } = tickableStep(db, actor, planId, stepId);
    const reason = input.status === 'not_applicable' ? input.reason : null;
    q.setStepStatus(db, step.id, input.status, reason, actor.id, nowIso(now));
    q.insertHistory(db, step.id, actor.id, input.status, reason, nowIso(now));
  })();
}

export function addStepComment(db: DB, actor: Actor, planId: number, stepId: number, body: string, now = new Date()): void {
  db.transaction(() => {
    const { step } = commentableStep(db, actor, planId, stepId);
    q.insertComment(db, step.id, actor.id, body, nowIso(now));
  })();
}

/** The workload-review step of a plan, for those who manage it; anything else is a 404. */
export function reviewStep(db: DB, actor: Actor, planId: number, stepId: number) {
  const { plan, access } = viewablePlan(db, actor, planId);
  const step = q.planStep(db, plan.id, stepId);
  if (!access.manage || !step || step.tag !== 'workload_review') throw new NotFound();
  return { plan, step };
}

/** Records the workload review's outcome; the review step is then done. */
export function recordWorkloadReview(db: DB, actor: Actor, planId: number, stepId: number, input: { decision: 'keep' | 'adjust' | 'open_case_manager'; notes: string }, now = new Date()): void {
  db.transaction(() => {
    const { plan, step } = reviewStep(db, actor, planId, stepId);
    q.upsertWorkloadReview(db, step.id, input.decision, input.notes, actor.id, nowIso(now));
    if (step.status === 'todo') {
      q.setStepStatus(db, step.id, 'done', null, actor.id, nowIso(now));
      q.insertHistory(db, step.id, actor.id, 'done', null, nowIso(now));
    }
    audit(db, { actorUserId: actor.id, actorLabel: actor.email, action: 'onboarding.workload_review', organisationId: plan.organisation_id, targetType: 'onboarding_plan', targetId: plan.id, details: { decision: input.decision } });
  })();
}

export type CreatePosting = (db: DB, actor: Actor, organisationId: number, kind: 'case_manager') => number | { id: number };

/**
 * Opens the case-manager posting decided at the workload review, once. The posting factory is
 * the jobs feature's `createPostingFromTemplate`, passed in by the route (tests pass a fake).
 */
export function openCaseManagerPosting(db: DB, actor: Actor, planId: number, stepId: number, createPosting: CreatePosting): number {
  return db.transaction(() => {
    const { plan, step } = reviewStep(db, actor, planId, stepId);
    const review = q.workloadReview(db, step.id);
    if (!review || review.decision !== 'open_case_manager') throw new NotFound();
    if (review.posting_id) return review.posting_id;
    const created = createPosting(db, actor, plan.organisation_id, 'case_manager');
    const postingId = typeof created === 'number' ? created : created.id;
    q.setReviewPosting(db, step.id, postingId);
    return postingId;
  })();
}

export function organisationPlans(db: DB, actor: Actor, organisationId: number) {
  const org = q.organisationById(db, organisationId);
  authorize(actor, 'onboarding.manage', org);
  const plans = q.plansOfOrganisation(db, org.id);
  return { org, plans: withProgress(db, plans), templates: templatesAvailableTo(db, org), ownTemplates: q.organisationTemplates(db, org.id) };
}

/** Progress of several plans from one query of their steps. */
export function withProgress(db: DB, plans: q.PlanRow[]) {
  const steps = q.stepsOfPlans(db, plans.map((p) => p.id));
  return plans.map((p) => {
    const own = steps.filter((s) => s.plan_id === p.id);
    const closed = own.filter((s) => s.status !== 'todo').length;
    return { ...p, total: own.length, closed, percent: own.length ? Math.round((closed * 100) / own.length) : 100 };
  });
}

export function startPlanChoices(db: DB, actor: Actor, organisationId: number) {
  const org = q.organisationById(db, organisationId);
  authorize(actor, 'onboarding.manage', org);
  return { org, staff: q.staffOfOrganisation(db, org.id), templates: templatesAvailableTo(db, org) };
}

/** "Mes étapes": the actor's open steps across plans, and the plans they follow as hire or mentor. */
export function myOnboarding(db: DB, actor: Actor, now = new Date()) {
  const today = todayInParis(now);
  const steps = q.openStepsOwnedBy(db, actor.id).map((s) => ({ ...s, overdue: s.due_date < today, soon: s.due_date >= today && s.due_date <= addDays(today, 7) }));
  const own = withProgress(db, q.plansOfUser(db, actor.id));
  const mentored = q.plansMentoredBy(db, actor.id);
  return { steps, plans: own, mentored, today };
}

/** Steps that are meetings (the regular point with the bureau, correspondents, peer mentor, network, workload review). */
const MEETING_TAGS = new Set(['bureau_exchange', 'correspondents', 'mentor', 'network', 'workload_review']);

/** A member's open onboarding meetings, for their calendar feed: the steps they own that are meetings. */
export function meetingStepsOf(db: DB, userId: number) {
  return q.openStepsOwnedBy(db, userId, 200).filter((s) => s.tag !== null && MEETING_TAGS.has(s.tag));
}
